#pragma once

#include <QHash>
#include <QStaticText>
#include <QString>

class QFont;

namespace clade::ui {

/// Laid-out node labels ("#1234", "0.953") kept between frames: at close zoom a frame draws
/// hundreds of them, and shaping each string again every frame was a good part of its
/// time. Owned by the view (GUI thread only); cleared when the font changes or it grows
/// past a few thousand entries.
class TreeLabelCache {
public:
    const QStaticText& label(const QString& text, const QFont& font);

private:
    QHash<QString, QStaticText> m_labels;
    QString m_fontKey;
};

} // namespace clade::ui
