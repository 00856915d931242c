#pragma once

#include "engine/manifest/Manifest.h"
#include "engine/store/Node.h"

#include <optional>
#include <string>
#include <vector>

namespace clade::engine {

/// One axis of a multi-metric comparison: the primary score or a named metric.
struct Objective {
    std::string name;
    Direction direction = Direction::Maximize;
    bool primary = false; ///< the node's primary score (Node::score), not a metric by name

    bool operator==(const Objective&) const = default;
};

/// The objective's value on `node`: its primary score, or metricValue().
std::optional<double> objectiveValue(const Node& node, const Objective& objective);

/// The run's objectives: its primary metric, then each guard metric in manifest order.
std::vector<Objective> runObjectives(const Manifest& manifest);

/// The ids (ascending) of the nodes no other node dominates over `objectives`: none is at
/// least as good on every objective and better on one. Only evaluated nodes with a value
/// for every objective take part. Nodes equal on every objective are all on the front.
std::vector<int> paretoFront(const std::vector<Node>& nodes, const std::vector<Objective>& objectives);

} // namespace clade::engine
