#include "engine/review/GuardWorseningDetector.h"

#include "engine/eval/EngineMetrics.h"
#include "engine/eval/GuardCheck.h"
#include "engine/review/ScoredNode.h"
#include "engine/store/FindNode.h"
#include "engine/util/ReadableNumber.h"

#include <cmath>
#include <cstdio>

namespace clade::engine {

namespace {

std::string percent(double fraction)
{
    return readableNumber(100 * fraction) + "%";
}

// "clade.cost_usd 0.9 is 80% worse than the parent's 0.5"
std::string describe(const GuardWorsening& w)
{
    const std::string how =
        std::isinf(w.fraction) ? "worse than" : percent(w.fraction) + " worse than";
    return w.guard.name + " " + readableNumber(w.value) + " is " + how + " the parent's " +
           readableNumber(w.parentValue) + " (" + std::string(directionName(w.guard.direction)) + ")";
}

} // namespace

std::optional<GuardWorseningAssessment>
assessGuardWorsening(const Node& node, const std::vector<Node>& nodes, const Manifest& manifest)
{
    if (manifest.guards.empty() || node.parents.empty() || !hasFiniteScore(node))
        return std::nullopt;
    const Node* parent = findNode(nodes, node.primaryParent());
    if (!parent || !hasFiniteScore(*parent))
        return std::nullopt;
    if (!passesGuards(manifest.guards, node, nodes))
        return std::nullopt;

    GuardWorseningAssessment a;
    a.parentId = parent->id;
    a.score = *node.score;
    a.parentScore = *parent->score;
    a.scoreRose = manifest.direction == Direction::Maximize ? a.score > a.parentScore
                                                            : a.score < a.parentScore;
    for (const GuardMetric& guard : manifest.guards) {
        const auto value = metricValue(node, guard.name);
        const auto parentValue = metricValue(*parent, guard.name);
        if (!value || !parentValue)
            continue;
        const double fraction = worseningFraction(*value, *parentValue, guard.direction);
        if (fraction > manifest.review.guardWorsening)
            a.worsened.push_back({guard, *value, *parentValue, fraction});
    }
    a.flagged = a.scoreRose && !a.worsened.empty();
    return a;
}

std::optional<Finding> detectGuardWorsening(const Node& node, const std::vector<Node>& nodes,
                                            const Manifest& manifest)
{
    const std::optional<GuardWorseningAssessment> a = assessGuardWorsening(node, nodes, manifest);
    if (!a || !a->flagged)
        return std::nullopt;
    std::string worse;
    for (const GuardWorsening& w : a->worsened)
        worse += (worse.empty() ? "" : " and ") + describe(w);
    return Finding{"guard-worsening", "", 0,
                   manifest.primaryMetric + " " + readableNumber(a->score) + " improves on parent node " +
                       std::to_string(a->parentId) + " (" + readableNumber(a->parentScore) + "), but " +
                       worse + ", more than the " + percent(manifest.review.guardWorsening) +
                       " review.guard_worsening allows: check for reward hacking before building "
                       "on it",
                   ""};
}

} // namespace clade::engine
