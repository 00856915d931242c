#include "ui/TreeLabelCache.h"

#include <QFont>

namespace clade::ui {
namespace {

constexpr qsizetype kMaxLabels = 8192;

} // namespace

const QStaticText& TreeLabelCache::label(const QString& text, const QFont& font)
{
    const QString fontKey = font.key();
    if (fontKey != m_fontKey || m_labels.size() > kMaxLabels) {
        m_labels.clear();
        m_fontKey = fontKey;
    }
    auto it = m_labels.find(text);
    if (it == m_labels.end()) {
        QStaticText label(text);
        label.setTextFormat(Qt::PlainText);
        label.setPerformanceHint(QStaticText::AggressiveCaching);
        label.prepare(QTransform(), font);
        it = m_labels.insert(text, label);
    }
    return *it;
}

} // namespace clade::ui
