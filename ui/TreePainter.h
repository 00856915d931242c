#pragma once

#include "models/TreeScene.h"

#include <QImage>
#include <QPointF>
#include <QRectF>

#include <vector>

class QPainter;

namespace clade::ui {

class TreeLabelCache;

/// Layout units (column, depth) to viewport pixels: pixel = layout * scale + offset.
/// Columns and rows scale separately, so a wide, shallow run can fill the screen.
struct TreeTransform {
    double sx = 40;
    double sy = 40;
    double ox = 0;
    double oy = 0;

    QPointF toPixels(double x, double y) const { return {x * sx + ox, y * sy + oy}; }
    QPointF toLayout(QPointF p) const { return {(p.x() - ox) / sx, (p.y() - oy) / sy}; }
};

/// Draws a TreeScene with a level of detail chosen from the zoom:
/// - Dots (nodes closer than ~7 px): edges and nodes rasterised straight into an image,
///   a few pixels per node, cost linear in the visible nodes and independent of QPainter;
/// - Shapes: edges as one batch of lines, nodes as squares batched by colour;
/// - Full: circles with status outlines, marks (best, kept, reverted, pinned, collapsed,
///   held, starred, failed guards), the current and compare rings, ids and scores;
///   rejected nodes greyed. The failed-guards shield is also drawn at the Shapes level.
/// Only the grid cells of the scene's spatial index that meet the viewport are visited.
class TreePainter {
public:
    enum class Detail { Dots, Shapes, Full };

    TreePainter(const models::TreeScene& scene, const TreeTransform& transform);

    static Detail detailFor(const TreeTransform& transform);
    /// Scene indices of the current node and of the second node of a comparison; -1 none.
    void setHighlight(int current, int compare);
    /// Labels laid out in earlier frames (the view keeps it); without one, each frame lays
    /// out its labels anew.
    void setLabelCache(TreeLabelCache* labels) { m_labels = labels; }
    /// Draws into `target` (viewport pixels). `buffer` is kept by the caller between frames
    /// so the far-zoom rasteriser does not allocate.
    void paint(QPainter& painter, const QRect& target, QImage& buffer) const;
    /// The whole scene scaled into `image` (the minimap); returns the transform used.
    static TreeTransform paintOverview(QImage& image, const models::TreeScene& scene);

private:
    struct Cull {
        float x0, y0, x1, y1;
    };
    Cull cullRect(const QRect& target) const;
    void rasterize(QImage& image, const Cull& cull) const;
    void paintEdges(QPainter& painter, const Cull& cull) const;
    void paintBestPath(QPainter& painter, const Cull& cull) const;
    void paintSecondary(QPainter& painter, const Cull& cull) const;
    void paintSquares(QPainter& painter, const Cull& cull) const;
    void paintFull(QPainter& painter, const Cull& cull) const;
    void paintNode(QPainter& painter, TreeLabelCache& labels, const models::SceneNode& node,
                   int index) const;
    void paintRings(QPainter& painter) const;
    /// What the strategy knows: dgm's stage ring, the island tag.
    void paintInsight(QPainter& painter, const engine::NodeInsight& insight, QPointF centre,
                      double radius, bool dimmed) const;

public:
    /// A five-pointed star (a starred node's mark; also drawn by the legend).
    static void paintStar(QPainter& painter, QPointF centre, double radius);
    /// A red-orange shield with a cross (a node failing the run's guards; also drawn by the
    /// legend). `height` in pixels; the shield is a little narrower.
    static void paintGuardShield(QPainter& painter, QPointF centre, double height);

    const models::TreeScene& m_scene;
    TreeTransform m_t;
    int m_current = -1;
    int m_compare = -1;
    TreeLabelCache* m_labels = nullptr;
};

} // namespace clade::ui
