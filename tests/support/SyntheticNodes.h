#pragma once
// Nodes for strategy tests: an archive built by hand, as the engine would store it.

#include "engine/store/Node.h"

#include <map>
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

/// An evaluated node with `results` by task name and their mean as its score.
inline clade::engine::Node scoredNode(int id, int parent, std::map<std::string, double> results,
                                      unsigned flags = 0)
{
    clade::engine::Node n;
    n.id = id;
    if (parent >= 0)
        n.parents = {parent};
    n.status = clade::engine::NodeStatus::Evaluated;
    n.flags = flags;
    double sum = 0;
    for (const auto& [task, value] : results)
        sum += value;
    n.score = results.empty() ? 0 : sum / static_cast<double>(results.size());
    n.results = std::move(results);
    return n;
}

} // namespace testsupport
