#pragma once

#include "engine/eval/ParetoFront.h"
#include "engine/manifest/Manifest.h"
#include "engine/store/Node.h"

#include <QList>
#include <QPointF>
#include <QString>

#include <string>
#include <string_view>
#include <vector>

namespace clade::models {

// The numbers behind MetricChart: any metric against any other, one point per evaluated
// node, and the non-dominated front. Pure functions of the nodes and the manifest, so they
// are tested without a window.

/// Which way a metric the manifest does not name is better.
engine::Direction defaultMetricDirection(std::string_view metric);

/// The run's primary score as an axis (Node::score, the manifest's direction).
engine::Objective primaryAxis(const engine::Manifest& manifest);
/// Metric `name` as an axis: a guard's direction when the manifest guards it, the primary's
/// when it is the primary metric's name, else defaultMetricDirection().
engine::Objective metricAxis(const engine::Manifest& manifest, const std::string& name);

/// What an axis can show: the primary score, then every metric a node has a value for
/// (engine::allMetrics: the harness's and the engine's clade.*) or a guard names, by name.
/// A big run's names are read from a sample of its nodes (see the .cpp).
std::vector<engine::Objective> axisChoices(const std::vector<engine::Node>& nodes,
                                           const engine::Manifest& manifest);

struct MetricAxes {
    engine::Objective x;
    engine::Objective y;
};

/// The primary score against what the run spends on it: clade.cost_usd; when no node cost
/// anything (an offline run) the first guard's metric, else clade.solve_seconds_per_task.
MetricAxes defaultAxes(const std::vector<engine::Node>& nodes, const engine::Manifest& manifest);

/// "clade.cost_usd (USD), lower is better": the metric, its unit when the engine knows
/// it, and its direction.
QString axisTitle(const engine::Objective& axis);

struct MetricPoint {
    int id = -1;
    double x = 0;
    double y = 0;
    bool passesGuards = true; ///< engine::checkGuards(...).passed()
    bool onFront = false;
    std::string guardFailures; ///< GuardReport::failures(): why it fails, empty when it passes
};

struct MetricPoints {
    engine::Objective x;
    engine::Objective y;
    std::vector<MetricPoint> points; ///< evaluated nodes with a value on both axes, by id
    std::vector<int> front;          ///< engine::paretoFront over the points that pass their guards
    int passing = 0;                 ///< points that pass their guards
    int failing = 0;                 ///< points that fail one
    int withoutValues = 0;           ///< evaluated nodes missing a value on an axis (not drawn)

    /// The front is computed over the nodes that pass their guards only: it shows the
    /// candidates the search may build on, not ones it will refuse.
    static MetricPoints compute(const std::vector<engine::Node>& nodes,
                                const engine::Manifest& manifest, const engine::Objective& x,
                                const engine::Objective& y);

    /// The front as a step line: its points in ascending x, and between two neighbours a
    /// corner at the worse value of each axis, so the line bounds what the front dominates.
    QList<QPointF> frontSteps() const;
    const MetricPoint* point(int id) const;
};

} // namespace clade::models
