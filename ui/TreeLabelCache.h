#pragma once

#include <QFont>
#include <QHash>
#include <QStaticText>
#include <QString>

namespace clade::ui {

/// Laid-out node labels ("#1234", "0.953") kept between frames: at close zoom a frame draws
/// hundreds of them, and shaping each string again every frame was a good part of its
/// time. Owned by the view (GUI thread only).
class TreeLabelCache {
public:
    /// The font the next labels are drawn in; a different one empties the cache. Called
    /// once per frame.
    void setFont(const QFont& font);
    /// `text` laid out in the current font (cleared past a few thousand entries).
    const QStaticText& label(const QString& text);

private:
    QHash<QString, QStaticText> m_labels;
    QFont m_font;
};

} // namespace clade::ui
