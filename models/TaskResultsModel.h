#pragma once

#include "engine/store/Node.h"

#include <QAbstractTableModel>

#include <optional>
#include <vector>

namespace clade::models {

/// One node's per-task results beside its parent's, for the inspector: where a change won
/// or lost is what a reviewer looks for first.
class TaskResultsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ColumnTask, ColumnScore, ColumnParentScore, ColumnDelta, ColumnCount };

    explicit TaskResultsModel(QObject* parent = nullptr);

    /// `parent` may be null (the root, or a parent not loaded).
    void setNode(const engine::Node* node, const engine::Node* parent);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString task;
        std::optional<double> score;
        std::optional<double> parentScore;
    };
    std::vector<Row> m_rows;
};

} // namespace clade::models
