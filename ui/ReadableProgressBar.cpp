#include "ui/ReadableProgressBar.h"

#include <QStyleOptionProgressBar>
#include <QStylePainter>

#include <algorithm>
#include <cmath>

namespace clade::ui {
namespace {

// WCAG 2 relative luminance and contrast ratio.
double luminance(const QColor& color)
{
    auto channel = [](double c) {
        return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) +
           0.0722 * channel(color.blueF());
}

double contrast(const QColor& a, const QColor& b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// The palette's choice when it reads on `background`, else black or white, whichever
// contrasts more: a palette's highlightedText is not always light. 3 (WCAG's ratio for bold
// or large text) keeps the usual white on a mid-blue fill, which reads better than black
// there although its WCAG ratio is lower.
QColor readableOn(const QColor& background, const QColor& preferred)
{
    if (contrast(preferred, background) >= 3)
        return preferred;
    return contrast(Qt::black, background) >= contrast(Qt::white, background) ? QColor(Qt::black)
                                                                              : QColor(Qt::white);
}

} // namespace

ReadableProgressBar::ReadableProgressBar(QWidget* parent) : QProgressBar(parent)
{
    setAlignment(Qt::AlignCenter);
}

void ReadableProgressBar::paintEvent(QPaintEvent* event)
{
    if (orientation() != Qt::Horizontal || minimum() == maximum()) {
        QProgressBar::paintEvent(event); // vertical or busy: nothing of ours to draw
        return;
    }
    QStyleOptionProgressBar option;
    initStyleOption(&option);
    const QString text = option.text;
    // The style draws the groove and the fill over the whole width, without text.
    option.textVisible = false;
    option.textAlignment = Qt::AlignCenter;
    QStylePainter painter(this);
    painter.drawControl(QStyle::CE_ProgressBar, option);
    if (!isTextVisible() || text.isEmpty())
        return;

    // Where the fill ends, measured as the styles measure it: a share of the contents. The
    // frame before the contents counts as filled (some styles fill up to the edge).
    const QRect contents = style()->subElementRect(QStyle::SE_ProgressBarContents, &option, this);
    const qint64 span = std::max<qint64>(1, qint64(maximum()) - minimum());
    const qint64 done = std::clamp<qint64>(qint64(value()) - minimum(), 0, span);
    const int reach = int(contents.width() * done / span);
    QRect filled = rect();
    if ((layoutDirection() == Qt::RightToLeft) != invertedAppearance())
        filled.setLeft(contents.right() + 1 - reach);
    else
        filled.setRight(contents.left() + reach - 1);

    const QPalette& p = palette();
    const QColor onFill = readableOn(p.color(QPalette::Highlight), p.color(QPalette::HighlightedText));
    const QColor onGroove = readableOn(p.color(QPalette::Base), p.color(QPalette::Text));
    painter.setClipRegion(QRegion(rect()).subtracted(filled));
    painter.setPen(onGroove);
    painter.drawText(rect(), Qt::AlignCenter | Qt::TextSingleLine, text);
    painter.setClipRect(filled);
    painter.setPen(onFill);
    painter.drawText(rect(), Qt::AlignCenter | Qt::TextSingleLine, text);
}

} // namespace clade::ui
