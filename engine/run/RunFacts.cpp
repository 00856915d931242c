#include "engine/run/RunFacts.h"

#include "engine/strategy/BestNode.h"
#include "engine/strategy/Strategy.h"

#include <algorithm>

namespace clade::engine {

int countWaitingForReview(const std::vector<Node>& nodes)
{
    return static_cast<int>(std::count_if(nodes.begin(), nodes.end(), waitsForReview));
}

std::optional<int> runBest(const std::vector<Node>& nodes, const RunConfig& config,
                           const std::set<int>& personReverted)
{
    // The engine's own view: nothing in flight matters to the best, only what is blocked.
    const std::set<int> blocked = blockedNodes(nodes, personReverted);
    return bestNode(ArchiveView(nodes, config.manifest.tasks, config.manifest.direction)
                        .closedToExpansions()
                        .blocking(blocked)
                        .guardedBy(config.manifest.guards));
}

RunProgress storedProgress(const std::vector<Node>& nodes, const RunConfig& config,
                           const std::set<int>& personReverted, double activeSeconds)
{
    RunProgress p;
    p.children = std::max(0, static_cast<int>(nodes.size()) - 1);
    p.iterationBudget = config.settings.iterations;
    for (const auto& node : nodes) {
        p.evaluated += node.status == NodeStatus::Evaluated;
        p.failed += node.status == NodeStatus::Failed;
        p.running += node.status == NodeStatus::Evaluating;
        p.queued += node.status == NodeStatus::Proposed;
        p.awaitingReview += waitsForReview(node);
        p.taskEvaluations += static_cast<int>(node.results.size());
    }
    p.taskEvaluationBudget = config.settings.maxTaskEvaluations;
    p.elapsedSeconds = activeSeconds;
    p.maxSeconds = config.settings.maxMinutes * 60;
    p.costUsed = totalCost(nodes);
    p.maxCost = config.settings.maxCost;
    if (const auto best = runBest(nodes, config, personReverted)) {
        p.bestId = best;
        // Ids are dense and ascending in a run, but an imported one need not be.
        const auto it = std::find_if(nodes.begin(), nodes.end(),
                                     [&](const Node& n) { return n.id == *best; });
        p.bestScore = it->score;
    }
    if (!nodes.empty())
        p.rootScore = nodes.front().score; // node 0, the agent as given
    return p;
}

} // namespace clade::engine
