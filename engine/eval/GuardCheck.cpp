#include "engine/eval/GuardCheck.h"

#include "engine/eval/EngineMetrics.h"
#include "engine/store/FindNode.h"
#include "engine/util/ReadableNumber.h"

#include <algorithm>
#include <cmath>

namespace clade::engine {

namespace {

bool better(double a, double b, Direction direction)
{
    return direction == Direction::Maximize ? a > b : a < b;
}

} // namespace

double worseningFraction(double value, double reference, Direction direction)
{
    const double worse = direction == Direction::Maximize ? reference - value : value - reference;
    // Within rounding of the stored numbers, equal is not worse.
    if (std::abs(worse) <= 1e-12 * std::max(std::abs(value), std::abs(reference)))
        return 0;
    if (reference == 0)
        return worse > 0 ? INFINITY : -INFINITY;
    return worse / std::abs(reference);
}

std::string GuardOutcome::explanation() const
{
    const std::string name = guard.name;
    const std::string dir = std::string(directionName(guard.direction));
    switch (verdict) {
    case Verdict::Pending:
        return name + ": not scored yet";
    case Verdict::Missing:
        return name + ": no value (the score phase did not report it)";
    case Verdict::PastLimit:
        return name + " " + readableNumber(*value) + " is past its limit " + readableNumber(*guard.limit) + " (" +
               dir + ")";
    case Verdict::Regressed: {
        const double fraction = worseningFraction(*value, *reference, guard.direction);
        const std::string how = std::isinf(fraction) ? std::string("worse than")
                                                     : readableNumber(100 * fraction) + "% worse than";
        return name + " " + readableNumber(*value) + " is " + how + " node " +
               std::to_string(referenceNode) + "'s " + readableNumber(*reference) +
               " (max_regression " + readableNumber(*guard.maxRegression) + ")";
    }
    case Verdict::Passed:
        break;
    }
    std::string text = name + " " + readableNumber(*value) + " passes";
    if (guard.limit)
        text += " (limit " + readableNumber(*guard.limit) + ")";
    return text;
}

bool GuardReport::passed() const
{
    return std::all_of(guards.begin(), guards.end(), [](const GuardOutcome& g) { return g.passed(); });
}

bool GuardReport::failed() const
{
    return std::any_of(guards.begin(), guards.end(), [](const GuardOutcome& g) { return g.failed(); });
}

std::string GuardReport::failures() const
{
    std::string text;
    for (const GuardOutcome& g : guards)
        if (g.failed())
            text += (text.empty() ? "" : "; ") + g.explanation();
    return text;
}

GuardChecker::GuardChecker(const std::vector<GuardMetric>& guards, const std::vector<Node>& nodes)
    : m_guards(guards), m_nodes(nodes), m_bestAbove(guards.size())
{
}

GuardChecker::Best GuardChecker::including(const Best& above, std::size_t guard, const Node& node) const
{
    const GuardMetric& g = m_guards[guard];
    const auto value = metricValue(node, g.name);
    // On a tie the nearer ancestor is the reference (the chain is folded root first).
    if (value && (!above.value || !better(*above.value, *value, g.direction)))
        return {value, node.id};
    return above;
}

GuardChecker::Best GuardChecker::bestAbove(std::size_t guard, const Node& node) const
{
    auto& memo = m_bestAbove[guard];
    if (const auto it = memo.find(node.id); it != memo.end())
        return it->second;
    // Up to the first ancestor already known (or the root), then down again, remembering
    // each on the way. The bound stops a parent cycle in a corrupt import.
    std::vector<const Node*> chain{&node};
    const Node* parent = findNode(m_nodes, node.primaryParent());
    while (parent && !memo.count(parent->id) && chain.size() <= m_nodes.size()) {
        chain.push_back(parent);
        parent = findNode(m_nodes, parent->primaryParent());
    }
    Best above;
    if (parent)
        if (const auto it = memo.find(parent->id); it != memo.end())
            above = including(it->second, guard, *parent);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        memo[(*it)->id] = above;
        above = including(above, guard, **it);
    }
    return memo.at(node.id);
}

GuardOutcome GuardChecker::checkOne(std::size_t guard, const Node& node) const
{
    const GuardMetric& g = m_guards[guard];
    GuardOutcome outcome;
    outcome.guard = g;
    if (node.results.empty())
        return outcome; // Pending
    outcome.value = metricValue(node, g.name);
    if (!outcome.value) {
        outcome.verdict = GuardOutcome::Verdict::Missing;
        return outcome;
    }
    if (g.limit && better(*g.limit, *outcome.value, g.direction)) {
        outcome.verdict = GuardOutcome::Verdict::PastLimit;
        return outcome;
    }
    if (g.maxRegression) {
        const Best best = bestAbove(guard, node);
        outcome.reference = best.value;
        outcome.referenceNode = best.node;
        if (best.value &&
            worseningFraction(*outcome.value, *best.value, g.direction) > *g.maxRegression) {
            outcome.verdict = GuardOutcome::Verdict::Regressed;
            return outcome;
        }
    }
    outcome.verdict = GuardOutcome::Verdict::Passed;
    return outcome;
}

GuardReport GuardChecker::check(const Node& node) const
{
    GuardReport report;
    for (std::size_t i = 0; i < m_guards.size(); ++i)
        report.guards.push_back(checkOne(i, node));
    return report;
}

bool GuardChecker::passes(const Node& node) const
{
    for (std::size_t i = 0; i < m_guards.size(); ++i)
        if (!checkOne(i, node).passed())
            return false;
    return true;
}

GuardReport checkGuards(const std::vector<GuardMetric>& guards, const Node& node,
                        const std::vector<Node>& nodes)
{
    return GuardChecker(guards, nodes).check(node);
}

bool passesGuards(const std::vector<GuardMetric>& guards, const Node& node,
                  const std::vector<Node>& nodes)
{
    return GuardChecker(guards, nodes).passes(node);
}

} // namespace clade::engine
