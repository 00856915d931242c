#pragma once

#include <Qt>

namespace clade::models {

/// Columns of NodeListModel, one row per node in id order. Views and charts that read the
/// node list (ScoreChart, filter proxies) address it through these, never by bare numbers.
enum NodeColumn : int {
    ColumnId,          ///< int
    ColumnParent,      ///< int, -1 for the root
    ColumnStatus,      ///< QString, as engine::toString(NodeStatus)
    ColumnScore,       ///< double, or an invalid QVariant while unscored
    ColumnCost,        ///< double, USD of the proposer call
    ColumnTokens,      ///< qint64, tokens in + out
    ColumnCreated,     ///< QDateTime
    ColumnDescription, ///< QString
    ColumnCount
};

/// Roles every column answers, so a chart can read typed values from any cell of a row.
enum NodeRole : int {
    NodeIdRole = Qt::UserRole + 1, ///< int
    StatusRole,                    ///< int, engine::NodeStatus
    FlagsRole,                     ///< uint, engine::NodeFlag bits
    ScoreRole,                     ///< double, invalid while unscored
    MetricsRole,                   ///< QVariantMap metric name -> double
    EvaluatedAtRole,               ///< double, unix seconds when the score was recorded (0 if not)
    CostRole,                      ///< double
    TokensRole,                    ///< qint64
    SearchTextRole, ///< QString: id, status, score, change, a person's tags and notes (filters)
};

} // namespace clade::models
