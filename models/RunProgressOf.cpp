#include "models/RunProgressOf.h"

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
    const bool maximize = config.manifest.direction == engine::Direction::Maximize;
    for (const auto& node : nodes) {
        p.evaluated += node.status == NodeStatus::Evaluated;
        p.failed += node.status == NodeStatus::Failed;
        p.running += node.status == NodeStatus::Evaluating;
        p.queued += node.status == NodeStatus::Proposed;
        p.awaitingReview += node.status == NodeStatus::AwaitingApproval || node.hasFlag(engine::FlagHeld);
        if (node.parents.empty() && node.score)
            p.rootScore = node.score;
        if (node.status != NodeStatus::Evaluated || !node.score)
            continue;
        if (!p.bestScore || (maximize ? *node.score > *p.bestScore : *node.score < *p.bestScore)) {
            p.bestScore = node.score;
            p.bestId = node.id;
        }
    }
    return p;
}

} // namespace clade::models
