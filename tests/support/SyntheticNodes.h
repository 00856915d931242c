#pragma once
// Nodes for strategy tests: an archive built by hand, as the engine would store it.

#include "engine/store/Node.h"

#include <string>
#include <vector>

namespace testsupport {

/// A node with `results` on t0, t1, ... and the engine's score (their mean). Without
/// results an "evaluated" node is a proposed one.
inline clade::engine::Node makeNode(int id, int parent, const std::vector<double>& results,
                                    clade::engine::NodeStatus status = clade::engine::NodeStatus::Evaluated)
{
    using clade::engine::NodeStatus;
    clade::engine::Node n;
    n.id = id;
    if (parent >= 0)
        n.parents = {parent};
    n.status = results.empty() && status == NodeStatus::Evaluated ? NodeStatus::Proposed : status;
    double sum = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
        n.results["t" + std::to_string(i)] = results[i];
        sum += results[i];
    }
    if (!results.empty() && n.status == NodeStatus::Evaluated)
        n.score = sum / static_cast<double>(results.size());
    return n;
}

} // namespace testsupport
