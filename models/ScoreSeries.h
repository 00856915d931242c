#pragma once

#include <QList>
#include <QPointF>
#include <QStringList>

class QAbstractItemModel;

namespace clade::models {

/// The numbers behind ScoreChart, read from any model that follows NodeColumns.h: one
/// point per evaluated node, the best-so-far steps, cumulative cost and tokens. A pure
/// function of the model's rows, so it is tested without a window.
struct ScoreSeries {
    enum class XAxis { EvaluationOrder, Minutes };

    QList<QPointF> points;    ///< one per evaluated node with a value, in evaluation order
    QList<int> nodeIds;       ///< parallel to `points`
    QList<QPointF> bestSoFar; ///< a step line through the running best
    QList<QPointF> cost;      ///< x = nodes proposed so far (row order, from (0, 0)), y = USD
    QList<QPointF> tokens;    ///< same x, y = tokens in + out
    QStringList metricNames;  ///< every name found in MetricsRole, sorted

    /// `metric` empty means the primary score (ScoreRole), else a MetricsRole key.
    /// Rows are read from column 0 (NodeColumns.h: every column answers every role).
    /// At most about `maxPoints` of `points` for drawing: every k-th, each point that set a
    /// new best (per `higherIsBetter`) and the last one. QtCharts makes one graphics item per
    /// scatter point, which a run of 100,000 evaluations cannot afford. Returns the stride k.
    static int thin(const QList<QPointF>& points, int maxPoints, bool higherIsBetter,
                    QList<QPointF>* out);
    /// Every k-th point of a line and its last one (cost and tokens curves).
    static QList<QPointF> thinLine(const QList<QPointF>& line, int maxPoints);

    static ScoreSeries fromModel(const QAbstractItemModel& model, const QString& metric,
                                 bool higherIsBetter, XAxis xAxis = XAxis::EvaluationOrder);
};

} // namespace clade::models
