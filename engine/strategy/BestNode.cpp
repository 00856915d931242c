#include "engine/strategy/BestNode.h"

#include <cmath>

namespace clade::engine {

bool isBestCandidate(const ArchiveView& view, const Node& node)
{
    return node.status == NodeStatus::Evaluated && node.score && !node.hasFlag(FlagReverted) &&
           !view.isBlocked(node.id) && view.passesGuards(node);
}

std::optional<int> bestNode(const ArchiveView& view)
{
    // A node scored on part of the tasks (a dgm stage, an hgm node still being sampled)
    // competes only when no node has them all: a mean over 10 easy tasks does not beat
    // one over 200. (An imported run may have no node with every task.)
    for (const bool wholeOnly : {true, false}) {
        std::optional<int> best;
        double bestScore = -INFINITY;
        for (const auto& node : view.nodes)
            if (isBestCandidate(view, node) && (!wholeOnly || hasEveryTask(node, view.tasks)) &&
                view.oriented(*node.score) > bestScore) {
                best = node.id;
                bestScore = view.oriented(*node.score);
            }
        if (best)
            return best;
    }
    return std::nullopt;
}

} // namespace clade::engine
