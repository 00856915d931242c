#include "models/ScoreSeries.h"

#include <optional>

#include "engine/store/Node.h"
#include "models/NodeColumns.h"

#include <QAbstractItemModel>
#include <QSet>
#include <QVariantMap>

#include <algorithm>

namespace clade::models {
namespace {

struct Evaluated {
    int row;
    int id;
    double evaluatedAt;
    double value;
};

} // namespace

ScoreSeries ScoreSeries::fromModel(const QAbstractItemModel& model, const QString& metric,
                                   bool higherIsBetter, XAxis xAxis)
{
    ScoreSeries series;
    QSet<QString> names;
    std::vector<Evaluated> evaluated;
    double cost = 0;
    double tokens = 0;
    const int rows = model.rowCount();
    series.cost.append(QPointF(0, 0)); // cumulative lines start at the origin
    series.tokens.append(QPointF(0, 0));
    // Metric names are read from about 2,000 rows spread over the run and its newest rows:
    // building a QVariantMap for every one of 100,000 rows costs a visible stall, and a
    // run's metrics rarely change name from one node to the next.
    const int nameStride = std::max(1, rows / 2000);
    for (int row = 0; row < rows; ++row) {
        const QModelIndex index = model.index(row, ColumnId);
        const bool sampleNames = row % nameStride == 0 || rows - row <= 256;
        const bool isEvaluated =
            index.data(StatusRole).toInt() == static_cast<int>(engine::NodeStatus::Evaluated);
        QVariantMap metrics;
        if (sampleNames || (isEvaluated && !metric.isEmpty()))
            metrics = index.data(MetricsRole).toMap();
        if (sampleNames)
            for (auto it = metrics.begin(); it != metrics.end(); ++it)
                names.insert(it.key());

        cost += index.data(CostRole).toDouble();
        tokens += static_cast<double>(index.data(TokensRole).toLongLong());
        series.cost.append(QPointF(row + 1, cost));
        series.tokens.append(QPointF(row + 1, tokens));

        if (!isEvaluated)
            continue;
        const QVariant value = metric.isEmpty() ? index.data(ScoreRole) : metrics.value(metric);
        if (!value.isValid())
            continue;
        evaluated.push_back({row, index.data(NodeIdRole).toInt(),
                             index.data(EvaluatedAtRole).toDouble(), value.toDouble()});
    }
    series.metricNames = names.values();
    series.metricNames.sort();

    // Evaluation order is the order scores arrived; rows (ids) break ties and stand in
    // for a missing time.
    std::stable_sort(
        evaluated.begin(), evaluated.end(), [](const Evaluated& a, const Evaluated& b) {
            if (a.evaluatedAt > 0 && b.evaluatedAt > 0 && a.evaluatedAt != b.evaluatedAt)
                return a.evaluatedAt < b.evaluatedAt;
            return a.row < b.row;
        });
    double firstTime = 0;
    for (const Evaluated& e : evaluated)
        if (e.evaluatedAt > 0 && (firstTime == 0 || e.evaluatedAt < firstTime))
            firstTime = e.evaluatedAt;

    double best = 0;
    for (std::size_t i = 0; i < evaluated.size(); ++i) {
        const Evaluated& e = evaluated[i];
        const double x = xAxis == XAxis::Minutes && e.evaluatedAt > 0
                             ? (e.evaluatedAt - firstTime) / 60.0
                             : static_cast<double>(i + 1);
        series.points.append(QPointF(x, e.value));
        series.nodeIds.append(e.id);
        const bool better = i == 0 || (higherIsBetter ? e.value > best : e.value < best);
        if (i > 0)
            series.bestSoFar.append(QPointF(x, best));
        if (better)
            best = e.value;
        series.bestSoFar.append(QPointF(x, best));
    }
    return series;
}

namespace {

// Every how many-th point to draw so that about `maxPoints` remain.
int strideFor(qsizetype count, int maxPoints)
{
    return std::max<int>(1, static_cast<int>((count + maxPoints - 1) / std::max(1, maxPoints)));
}

} // namespace

int ScoreSeries::thin(const QList<QPointF>& points, int maxPoints, bool higherIsBetter,
                      QList<QPointF>* out)
{
    out->clear();
    const int stride = strideFor(points.size(), maxPoints);
    std::optional<double> best;
    for (qsizetype i = 0; i < points.size(); ++i) {
        const double y = points[i].y();
        const bool improves = !best || (higherIsBetter ? y > *best : y < *best);
        if (improves)
            best = y;
        if (stride == 1 || i % stride == 0 || improves || i + 1 == points.size())
            out->append(points[i]);
    }
    return stride;
}

QList<QPointF> ScoreSeries::thinLine(const QList<QPointF>& line, int maxPoints)
{
    const int stride = strideFor(line.size(), maxPoints);
    if (stride == 1)
        return line;
    QList<QPointF> out;
    out.reserve(line.size() / stride + 2);
    for (qsizetype i = 0; i < line.size(); i += stride)
        out.append(line[i]);
    if (!line.isEmpty() && out.back() != line.back())
        out.append(line.back());
    return out;
}

} // namespace clade::models
