#include "engine/review/GuardWorseningDetector.h"

#include "engine/eval/EngineMetrics.h"
#include "engine/eval/GuardCheck.h"
#include "engine/store/FindNode.h"

#include <cmath>
#include <cstdio>

namespace clade::engine {

namespace {

bool scored(const Node& node)
{
    return node.status == NodeStatus::Evaluated && node.score && std::isfinite(*node.score);
}

std::string number(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", value);
    return text;
}

std::string percent(double fraction)
{
    return number(100 * fraction) + "%";
}

// "clade.cost_usd 0.9 is 80% worse than the parent's 0.5"
std::string describe(const GuardWorsening& w)
{
    const std::string how =
        std::isinf(w.fraction) ? "worse than" : percent(w.fraction) + " worse than";
    return w.guard.name + " " + number(w.value) + " is " + how + " the parent's " +
           number(w.parentValue) + " (" + std::string(directionName(w.guard.direction)) + ")";
}

} // namespace

std::optional<GuardWorseningAssessment>
assessGuardWorsening(const Node& node, const std::vector<Node>& nodes, const Manifest& manifest)
{
    if (manifest.guards.empty() || node.parents.empty() || !scored(node))
        return std::nullopt;
    const Node* parent = findNode(nodes, node.primaryParent());
    if (!parent || !scored(*parent))
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
                   manifest.primaryMetric + " " + number(a->score) + " improves on parent node " +
                       std::to_string(a->parentId) + " (" + number(a->parentScore) + "), but " +
                       worse + ", more than the " + percent(manifest.review.guardWorsening) +
                       " review.guard_worsening allows: check for reward hacking before building "
                       "on it",
                   ""};
}

} // namespace clade::engine
