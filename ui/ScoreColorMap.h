#pragma once

#include "models/TreeScene.h"

#include <QColor>
#include <QLinearGradient>
#include <QString>

namespace clade::ui {

/// The tree's colours in one place: a perceptual map (viridis) for scores, distinct colours
/// for nodes without a score, and the canvas, edge and mark colours that go with them on
/// the dark canvas the tree is drawn on (bright = high score stands out).
class ScoreColorMap {
public:
    /// Viridis at t in [0, 1] (clamped). The darkest tenth is left out: it would vanish
    /// into the canvas.
    static QRgb scoreRgb(float t);
    /// Fill of a node; `dimmed` when it fails the filter.
    static QRgb fillRgb(const models::SceneNode& node, bool dimmed);
    /// Fill of a status class (the score map for Scored at `key`).
    static QRgb classRgb(models::ColorClass colorClass, float key = 1.f);
    /// Outline that marks a status (awaiting approval: orange); transparent when none.
    static QColor outline(models::ColorClass colorClass);
    static QString label(models::ColorClass colorClass);
    /// The score map as a gradient from `from` (low) to `to` (high), for legends.
    static QLinearGradient gradient(QPointF from, QPointF to);

    static QColor canvas() { return QColor(0x1e, 0x20, 0x24); }
    static QColor edge() { return QColor(0x5c, 0x63, 0x6e); }
    static QColor secondaryEdge() { return QColor(0x9f, 0xa8, 0xda); }
    static QColor bestPath() { return QColor(0xff, 0xd5, 0x4f); }
    static QColor text() { return QColor(0xd0, 0xd4, 0xda); }
    static QColor current() { return QColor(0xff, 0xff, 0xff); }
    static QColor compare() { return QColor(0xe0, 0x40, 0xfb); }
    static QColor kept() { return QColor(0x66, 0xbb, 0x6a); }
    static QColor reverted() { return QColor(0xef, 0x53, 0x50); }
    static QColor pinned() { return QColor(0x42, 0xa5, 0xf5); }
    /// A held keep decision waits for a person: the awaiting-approval orange.
    static QColor held() { return QColor(0xff, 0x98, 0x00); }
    static QColor starred() { return QColor(0xff, 0xee, 0x58); }
    /// dgm: the evaluation stages a node reached (its progress ring).
    static QColor stage() { return QColor(0xe8, 0xd5, 0xa4); }
};

} // namespace clade::ui
