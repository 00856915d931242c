#pragma once

#include "engine/review/Finding.h"
#include "engine/store/Node.h"
#include "models/RunData.h"

#include <QAbstractTableModel>

#include <vector>

namespace clade::models {

/// The approval queue: the nodes that wait for a person (waitsForReview()), oldest first,
/// with their risk findings. Fed the same opened/changed values as NodeListModel; a node
/// enters when it starts waiting and leaves when a decision (from any process) ends the
/// wait, one row insert or removal at a time.
class ReviewQueueModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ColumnId, ColumnHeld, ColumnFindings, ColumnDescription, ColumnCount };

    struct Entry {
        engine::Node node;
        std::vector<engine::Finding> findings;
        bool keepHeld() const { return node.status != engine::NodeStatus::AwaitingApproval; }
    };

    explicit ReviewQueueModel(QObject* parent = nullptr);

    /// Replaces everything (a run was opened).
    void reset(const std::vector<engine::Node>& nodes, const FindingsById& findings);
    /// Nodes added or changed since the last call; `findings` has those of the held ones.
    void apply(const std::vector<engine::Node>& changed, const FindingsById& findings);
    void clear();
    /// Findings read again for node `id` (the inspector's details): a review.json written
    /// after the node's event was read still reaches the queue. Ignored unless `id` waits.
    void setFindings(int id, const std::vector<engine::Finding>& findings);

    const std::vector<Entry>& entries() const { return m_entries; }
    /// The entry of node `id`, or null when it does not wait.
    const Entry* entry(int id) const;
    int rowOf(int id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<Entry> m_entries; // ascending id
};

} // namespace clade::models
