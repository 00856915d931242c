#include "ui/NodeListPanel.h"

#include "models/NodeListModel.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace clade::ui {

NodeListPanel::NodeListPanel(models::NodeListModel* model, QWidget* parent)
    : QWidget(parent), m_model(model)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    m_filter = new QLineEdit(this);
    m_filter->setObjectName("nodeFilter");
    m_filter->setPlaceholderText(tr("Filter by id, status, change, tag or note…"));
    m_filter->setClearButtonEnabled(true);
    layout->addWidget(m_filter);

    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(model);
    // One text per row (NodeListModel's SearchTextRole) that also holds tags and notes,
    // which no column shows.
    m_proxy->setFilterRole(models::SearchTextRole);
    m_proxy->setFilterKeyColumn(models::ColumnId);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortRole(Qt::EditRole);
    m_view = new QTableView(this);
    m_view->setObjectName("nodeTable");
    m_view->setModel(m_proxy);
    // Rows come in id order; sorting starts only when a header is clicked (sorting 100,000
    // rows up front would stall the window for nothing).
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->setSortingEnabled(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnHidden(models::ColumnCreated, true);
    m_view->setColumnHidden(models::ColumnTokens, true);
    m_view->setAlternatingRowColors(true);
    layout->addWidget(m_view);

    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QTableView::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QModelIndex index = m_view->indexAt(pos);
        if (!index.isValid())
            return;
        m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                             QItemSelectionModel::Rows);
        Q_EMIT contextMenuRequested(index.data(models::NodeIdRole).toInt(),
                                    m_view->viewport()->mapToGlobal(pos));
    });
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (m_settingCurrent || !current.isValid())
                    return;
                Q_EMIT currentNodeChanged(current.data(models::NodeIdRole).toInt());
            });
}

void NodeListPanel::setCurrentNode(int id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid())
        return;
    m_settingCurrent = true;
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    m_view->scrollTo(index);
    m_settingCurrent = false;
}

} // namespace clade::ui
