#pragma once

#include <QStyledItemDelegate>

namespace clade::ui {

/// A row of the diff's file list: a coloured status letter, the file name with its folder
/// muted, and +/− counts on the right, the way code review tools show them.
class DiffFileDelegate : public QStyledItemDelegate {
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace clade::ui
