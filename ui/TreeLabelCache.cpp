#include "ui/TreeLabelCache.h"

namespace clade::ui {
namespace {

constexpr qsizetype kMaxLabels = 8192;

} // namespace

void TreeLabelCache::setFont(const QFont& font)
{
    if (font == m_font)
        return;
    m_labels.clear();
    m_font = font;
}

const QStaticText& TreeLabelCache::label(const QString& text)
{
    if (m_labels.size() > kMaxLabels)
        m_labels.clear();
    auto it = m_labels.find(text);
    if (it == m_labels.end()) {
        QStaticText label(text);
        label.setTextFormat(Qt::PlainText);
        label.setPerformanceHint(QStaticText::AggressiveCaching);
        label.prepare(QTransform(), m_font);
        it = m_labels.insert(text, label);
    }
    return *it;
}

} // namespace clade::ui
