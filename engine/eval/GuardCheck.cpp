#include "engine/eval/GuardCheck.h"

#include "engine/eval/EngineMetrics.h"
#include "engine/store/FindNode.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace clade::engine {

namespace {

std::string number(double value)
{
    std::ostringstream out;
    out.precision(4);
    out << value;
    return out.str();
}

bool better(double a, double b, Direction direction)
{
    return direction == Direction::Maximize ? a > b : a < b;
}

// The best value of the guard's metric among the node's primary ancestors.
void findReference(const GuardMetric& guard, const Node& node, const std::vector<Node>& nodes,
                   GuardOutcome& outcome)
{
    // Ids grow from parent to child, so the walk ends; the bound guards a corrupt import.
    const Node* ancestor = findNode(nodes, node.primaryParent());
    for (std::size_t steps = 0; ancestor && steps <= nodes.size(); ++steps) {
        if (const auto value = metricValue(*ancestor, guard.name);
            value && (!outcome.reference || better(*value, *outcome.reference, guard.direction))) {
            outcome.reference = value;
            outcome.referenceNode = ancestor->id;
        }
        ancestor = findNode(nodes, ancestor->primaryParent());
    }
}

GuardOutcome check(const GuardMetric& guard, const Node& node, const std::vector<Node>& nodes)
{
    GuardOutcome outcome;
    outcome.guard = guard;
    if (node.results.empty())
        return outcome; // Pending
    outcome.value = metricValue(node, guard.name);
    if (!outcome.value) {
        outcome.verdict = GuardOutcome::Verdict::Missing;
        return outcome;
    }
    if (guard.limit && better(*guard.limit, *outcome.value, guard.direction)) {
        outcome.verdict = GuardOutcome::Verdict::PastLimit;
        return outcome;
    }
    if (guard.maxRegression) {
        findReference(guard, node, nodes, outcome);
        if (outcome.reference &&
            worseningFraction(*outcome.value, *outcome.reference, guard.direction) >
                *guard.maxRegression) {
            outcome.verdict = GuardOutcome::Verdict::Regressed;
            return outcome;
        }
    }
    outcome.verdict = GuardOutcome::Verdict::Passed;
    return outcome;
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
        return name + " " + number(*value) + " is past its limit " + number(*guard.limit) + " (" +
               dir + ")";
    case Verdict::Regressed: {
        const double fraction = worseningFraction(*value, *reference, guard.direction);
        const std::string how = std::isinf(fraction) ? std::string("worse than")
                                                     : number(100 * fraction) + "% worse than";
        return name + " " + number(*value) + " is " + how + " node " +
               std::to_string(referenceNode) + "'s " + number(*reference) +
               " (max_regression " + number(*guard.maxRegression) + ")";
    }
    case Verdict::Passed:
        break;
    }
    std::string text = name + " " + number(*value) + " passes";
    if (guard.limit)
        text += " (limit " + number(*guard.limit) + ")";
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

GuardReport checkGuards(const std::vector<GuardMetric>& guards, const Node& node,
                        const std::vector<Node>& nodes)
{
    GuardReport report;
    for (const GuardMetric& guard : guards)
        report.guards.push_back(check(guard, node, nodes));
    return report;
}

bool passesGuards(const std::vector<GuardMetric>& guards, const Node& node,
                  const std::vector<Node>& nodes)
{
    return std::all_of(guards.begin(), guards.end(), [&](const GuardMetric& guard) {
        return check(guard, node, nodes).passed();
    });
}

} // namespace clade::engine
