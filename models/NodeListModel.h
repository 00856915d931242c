#pragma once

#include "engine/store/Node.h"
#include "models/NodeColumns.h"

#include <QAbstractTableModel>
#include <QHash>

#include <vector>

namespace clade::models {

/// Every node of the open run, one row each in ascending id (see NodeColumns.h). Changes
/// arrive in batches on the GUI thread; the model inserts new rows at the end (node ids
/// only grow) and emits dataChanged for rows that changed, never a reset after the first
/// load.
class NodeListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit NodeListModel(QObject* parent = nullptr);

    /// Replaces everything (a run was opened).
    void setNodes(std::vector<engine::Node> nodes);
    /// Applies nodes added or changed since the last call.
    void applyChanges(const std::vector<engine::Node>& changed);
    void clear();

    const std::vector<engine::Node>& nodes() const { return m_nodes; }
    const engine::Node* node(int id) const;
    int rowOf(int id) const { return m_rowOfId.value(id, -1); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant displayData(const engine::Node& node, int column) const;
    QVariant roleData(const engine::Node& node, int role) const;
    void reindex();

    std::vector<engine::Node> m_nodes;
    QHash<int, int> m_rowOfId;
};

} // namespace clade::models
