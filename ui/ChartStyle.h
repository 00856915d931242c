#pragma once

#include <QAbstractItemModel>
#include <QColor>
#include <QList>
#include <QString>

class QValueAxis;

namespace clade::ui {

// What the explorer's charts share, so a node looks the same in each: the score and
// cost charts (ScoreChart) and the metric-against-metric chart (MetricChart).

namespace chart {
inline const QColor PointColour{0x2f, 0x6f, 0xd0};   ///< a node
inline const QColor BestColour{0xe0, 0x7b, 0x00};    ///< the best so far, the Pareto front
inline const QColor CurrentColour{0xd0, 0x21, 0x2e}; ///< the selected node's ring

/// QtCharts makes a graphics item per scatter point: past a few thousand, drawing a chart
/// would freeze the window (seconds at 100,000 points). Charts thin to about this many.
inline constexpr int kMaxDrawnPoints = 3000;
} // namespace chart

/// A value axis in the charts' style: light grid, no minor lines, a plain title.
QValueAxis* makeChartAxis(const QString& title = {});

/// Connects every change of `model`'s rows or data to `receiver`'s `slot` (a chart's
/// coalescing refresh); disconnect the returned connections when the model changes.
template <typename Receiver>
QList<QMetaObject::Connection> refreshOnModelChanges(QAbstractItemModel* model, Receiver* receiver,
                                                     void (Receiver::*slot)())
{
    return {QObject::connect(model, &QAbstractItemModel::rowsInserted, receiver, slot),
            QObject::connect(model, &QAbstractItemModel::rowsRemoved, receiver, slot),
            QObject::connect(model, &QAbstractItemModel::dataChanged, receiver, slot),
            QObject::connect(model, &QAbstractItemModel::modelReset, receiver, slot),
            QObject::connect(model, &QAbstractItemModel::layoutChanged, receiver, slot)};
}

} // namespace clade::ui
