#include "ui/DiffFileDelegate.h"

#include "models/DiffFileListModel.h"
#include "ui/DiffColors.h"

#include <QApplication>
#include <QPainter>

namespace clade::ui {
namespace {

using Model = models::DiffFileListModel;

QColor statusColour(const QString& status)
{
    if (status == u"A")
        return DiffColors::added();
    if (status == u"D")
        return DiffColors::deleted();
    if (status == u"R" || status == u"C")
        return QColor(0x82, 0x50, 0xdf);
    return QColor(0x9a, 0x67, 0x00);
}

} // namespace

void DiffFileDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                             const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget); // selection, focus

    painter->save();
    const QRect rect = option.rect.adjusted(6, 0, -8, 0);
    const QFontMetrics metrics(option.font);
    const bool selected = option.state & QStyle::State_Selected;

    const QString status = index.data(Model::StatusRole).toString();
    QFont bold = option.font;
    bold.setBold(true);
    painter->setFont(bold);
    painter->setPen(selected ? option.palette.highlightedText().color() : statusColour(status));
    const int statusWidth = metrics.horizontalAdvance(QLatin1Char('M')) + 8;
    painter->drawText(QRect(rect.left(), rect.top(), statusWidth, rect.height()), Qt::AlignVCenter,
                      status);

    painter->setFont(option.font);
    QString counts;
    if (index.data(Model::BinaryRole).toBool())
        counts = tr("bin");
    else if (index.data(Model::TooLargeRole).toBool())
        counts = tr("large");
    const int insertions = index.data(Model::InsertionsRole).toInt();
    const int deletions = index.data(Model::DeletionsRole).toInt();
    const QString plus = QStringLiteral("+%1").arg(insertions);
    const QString minus = QStringLiteral("−%1").arg(deletions);
    int countsWidth = 0;
    if (counts.isEmpty()) {
        countsWidth = metrics.horizontalAdvance(plus + QLatin1Char(' ') + minus);
        const QRect area(rect.right() - countsWidth, rect.top(), countsWidth, rect.height());
        painter->setPen(selected ? option.palette.highlightedText().color() : DiffColors::added());
        painter->drawText(area, Qt::AlignVCenter | Qt::AlignLeft, plus);
        painter->setPen(selected ? option.palette.highlightedText().color()
                                 : DiffColors::deleted());
        painter->drawText(area, Qt::AlignVCenter | Qt::AlignRight, minus);
    } else {
        countsWidth = metrics.horizontalAdvance(counts);
        painter->setPen(DiffColors::mutedText());
        painter->drawText(rect, Qt::AlignVCenter | Qt::AlignRight, counts);
    }

    // File name in full colour, its folder muted, eliding the folder first.
    const QRect pathRect(rect.left() + statusWidth, rect.top(),
                         rect.width() - statusWidth - countsWidth - 10, rect.height());
    const QString path = index.data(Model::PathRole).toString();
    const qsizetype slash = path.lastIndexOf(u'/');
    const QString name = path.mid(slash + 1);
    const QString folder = slash >= 0 ? path.left(slash + 1) : QString();
    // A few pixels of slack: elidedText() rounds differently from horizontalAdvance().
    const int nameWidth = std::min(metrics.horizontalAdvance(name) + 4, pathRect.width());
    const QString shownFolder =
        metrics.elidedText(folder, Qt::ElideLeft, std::max(0, pathRect.width() - nameWidth));
    const int folderWidth = metrics.horizontalAdvance(shownFolder);
    painter->setPen(selected ? option.palette.highlightedText().color() : DiffColors::mutedText());
    painter->drawText(QRect(pathRect.left(), pathRect.top(), folderWidth, pathRect.height()),
                      Qt::AlignVCenter, shownFolder);
    painter->setPen(selected ? option.palette.highlightedText().color() : DiffColors::text());
    painter->drawText(QRect(pathRect.left() + folderWidth, pathRect.top(),
                            pathRect.width() - folderWidth, pathRect.height()),
                      Qt::AlignVCenter, metrics.elidedText(name, Qt::ElideRight, nameWidth));
    painter->restore();
}

QSize DiffFileDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(QFontMetrics(option.font).height() + 10);
    return size;
}

} // namespace clade::ui
