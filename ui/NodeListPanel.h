#pragma once

#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace clade::models {
class NodeListModel;
}

namespace clade::ui {

/// The run's nodes as a sortable table with a text filter (id, status or change
/// description): the quickest way to find "every failed node" or "the change that
/// mentioned best-fit".
class NodeListPanel : public QWidget {
    Q_OBJECT
public:
    NodeListPanel(models::NodeListModel* model, QWidget* parent = nullptr);

    void setCurrentNode(int id);
    QTableView* view() const { return m_view; }

Q_SIGNALS:
    void currentNodeChanged(int id);
    /// A right click on node `id`'s row (now the current node).
    void contextMenuRequested(int id, QPoint globalPos);

private:
    models::NodeListModel* m_model;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_view = nullptr;
    QLineEdit* m_filter = nullptr;
    bool m_settingCurrent = false;
};

} // namespace clade::ui
