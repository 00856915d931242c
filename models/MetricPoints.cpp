#include "models/MetricPoints.h"

#include "engine/eval/EngineMetrics.h"
#include "engine/eval/GuardCheck.h"

#include <algorithm>
#include <array>
#include <set>

namespace clade::models {

using engine::Direction;
using engine::Objective;

Direction defaultMetricDirection(std::string_view metric)
{
    // What a candidate spends (money, time, tokens, memory) or risks (the size of its
    // change, the review's findings) is better small; anything else a harness reports is
    // most often a score, better large. Only a default: the manifest's primary and guards
    // say their own direction, and the chart lets a person turn an axis round.
    static constexpr std::array<std::string_view, 6> smallerIsBetter{"cost",   "seconds", "tokens",
                                                                     "memory", "diff",    "risk"};
    return std::any_of(smallerIsBetter.begin(), smallerIsBetter.end(),
                       [&](std::string_view word) { return metric.find(word) != metric.npos; })
               ? Direction::Minimize
               : Direction::Maximize;
}

Objective primaryAxis(const engine::Manifest& manifest)
{
    return {manifest.primaryMetric, manifest.direction, true};
}

Objective metricAxis(const engine::Manifest& manifest, const std::string& name)
{
    for (const engine::GuardMetric& guard : manifest.guards)
        if (guard.name == name)
            return {name, guard.direction, false};
    if (name == manifest.primaryMetric)
        return {name, manifest.direction, false};
    return {name, defaultMetricDirection(name), false};
}

std::vector<Objective> axisChoices(const std::vector<engine::Node>& nodes,
                                   const engine::Manifest& manifest)
{
    std::set<std::string> names;
    for (const engine::GuardMetric& guard : manifest.guards)
        names.insert(guard.name);
    // Names from about 2,000 nodes spread over the run and its newest ones, as ScoreSeries
    // reads them: every node's allMetrics() costs a fifth of a second on a 100,000-node
    // run, at each redraw, and a run's metrics rarely change name from node to node.
    const std::size_t stride = std::max<std::size_t>(1, nodes.size() / 2000);
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (i % stride == 0 || nodes.size() - i <= 256)
            for (const auto& [name, value] : engine::allMetrics(nodes[i]))
                names.insert(name);
    // A harness that also reports its primary metric by name would list it twice, once
    // as the primary score the search ranks by: that one is enough.
    names.erase(manifest.primaryMetric);
    std::vector<Objective> choices{primaryAxis(manifest)};
    for (const std::string& name : names)
        choices.push_back(metricAxis(manifest, name));
    return choices;
}

MetricAxes defaultAxes(const std::vector<engine::Node>& nodes, const engine::Manifest& manifest)
{
    const std::string cost = "clade.cost_usd";
    const bool anyCost = std::any_of(nodes.begin(), nodes.end(), [&](const engine::Node& node) {
        return engine::metricValue(node, cost).value_or(0) != 0;
    });
    const std::string x = anyCost                    ? cost
                          : !manifest.guards.empty() ? manifest.guards.front().name
                                                     : std::string("clade.solve_seconds_per_task");
    return {metricAxis(manifest, x), primaryAxis(manifest)};
}

namespace {

// The unit of an engine metric, from the end of its name (EngineMetrics.cpp says each).
QString unitOf(std::string_view name)
{
    if (!engine::isEngineMetric(name))
        return {};
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> suffixes{{
        {"usd_per_task", "USD per task"},
        {"usd", "USD"},
        {"seconds_per_task", "s per task"},
        {"seconds", "s"},
        {"memory_mb", "MB"},
        {"tokens", "tokens"},
        {"tokens_in", "tokens"},
        {"tokens_out", "tokens"},
        {"diff_lines", "lines"},
        {"diff_files", "files"},
        {"risk_findings", "findings"},
    }};
    for (const auto& [suffix, unit] : suffixes)
        if (name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix)
            return QString::fromUtf8(unit.data(), static_cast<qsizetype>(unit.size()));
    return {};
}

} // namespace

QString axisTitle(const Objective& axis)
{
    QString title = QString::fromStdString(axis.name);
    const QString unit = unitOf(axis.name);
    if (axis.primary)
        title += QStringLiteral(" (primary)");
    else if (!unit.isEmpty())
        title += QStringLiteral(" (%1)").arg(unit);
    title += axis.direction == Direction::Maximize ? QStringLiteral(", higher is better")
                                                   : QStringLiteral(", lower is better");
    return title;
}

MetricPoints MetricPoints::compute(const std::vector<engine::Node>& nodes,
                                   const engine::Manifest& manifest, const Objective& x,
                                   const Objective& y)
{
    MetricPoints result;
    result.x = x;
    result.y = y;
    std::vector<engine::Node> passing;
    const engine::GuardChecker checker(manifest.guards, nodes);
    for (const engine::Node& node : nodes) {
        if (node.status != engine::NodeStatus::Evaluated)
            continue;
        const auto xValue = engine::objectiveValue(node, x);
        const auto yValue = engine::objectiveValue(node, y);
        if (!xValue || !yValue) {
            ++result.withoutValues;
            continue;
        }
        const engine::GuardReport guards = checker.check(node);
        MetricPoint point{node.id, *xValue, *yValue, guards.passed(), false, guards.failures()};
        if (point.passesGuards) {
            ++result.passing;
            passing.push_back(node);
        } else {
            ++result.failing;
        }
        result.points.push_back(std::move(point));
    }
    result.front = engine::paretoFront(passing, {x, y});
    for (MetricPoint& point : result.points)
        point.onFront = std::binary_search(result.front.begin(), result.front.end(), point.id);
    return result;
}

const MetricPoint* MetricPoints::point(int id) const
{
    const auto it = std::lower_bound(points.begin(), points.end(), id,
                                     [](const MetricPoint& p, int value) { return p.id < value; });
    return it != points.end() && it->id == id ? &*it : nullptr;
}

QList<QPointF> MetricPoints::frontSteps() const
{
    std::vector<QPointF> onFront;
    for (const MetricPoint& point : points)
        if (point.onFront)
            onFront.emplace_back(point.x, point.y);
    std::sort(onFront.begin(), onFront.end(), [](const QPointF& a, const QPointF& b) {
        return a.x() != b.x() ? a.x() < b.x() : a.y() < b.y();
    });
    const auto worse = [](double a, double b, Direction direction) {
        return direction == Direction::Maximize ? std::min(a, b) : std::max(a, b);
    };
    QList<QPointF> line;
    for (const QPointF& point : onFront) {
        if (!line.isEmpty()) {
            const QPointF& previous = line.back();
            line.append(QPointF(worse(previous.x(), point.x(), x.direction),
                                worse(previous.y(), point.y(), y.direction)));
        }
        line.append(point);
    }
    return line;
}

} // namespace clade::models
