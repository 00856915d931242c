#include "models/RunProgressOf.h"

#include "engine/strategy/SicaStrategy.h"

#include <set>

namespace clade::models {

engine::RunProgress runProgressOf(const std::vector<engine::Node>& nodes,
                                  const engine::RunConfig& config, double activeSeconds)
{
    using engine::NodeStatus;
    engine::RunProgress p;
    p.children = std::max(0, static_cast<int>(nodes.size()) - 1);
    p.iterationBudget = config.settings.iterations;
    p.elapsedSeconds = activeSeconds;
    p.maxSeconds = config.settings.maxMinutes * 60;
    p.costUsed = engine::totalCost(nodes);
    p.maxCost = config.settings.maxCost;
    for (const auto& node : nodes) {
        p.evaluated += node.status == NodeStatus::Evaluated;
        p.failed += node.status == NodeStatus::Failed;
        p.running += node.status == NodeStatus::Evaluating;
        p.queued += node.status == NodeStatus::Proposed;
        p.awaitingReview += node.status == NodeStatus::AwaitingApproval || node.hasFlag(engine::FlagHeld);
        if (node.parents.empty() && node.score)
            p.rootScore = node.score;
    }
    // The engine's rule (status and the summary use it too): not reverted, and scored on
    // every task unless no node is.
    const std::set<int> noneInFlight;
    const engine::ArchiveView view{nodes, noneInFlight, 0, true, config.manifest.tasks,
                                   config.manifest.direction};
    if (const auto best = engine::bestNode(view)) {
        p.bestId = *best;
        p.bestScore = view.find(*best)->score;
    }
    return p;
}

} // namespace clade::models
