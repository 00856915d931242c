#include "engine/strategy/HgmStrategy.h"

#include "engine/strategy/Sampling.h"
#include "engine/util/InputError.h"

#include <cmath>

namespace clade::engine {

namespace {

// Nodes hgm may spend work on: a person has not taken them out, and they are not waiting
// for approval, rejected or failed.
bool isOpen(const ArchiveView& view, const Node& node)
{
    return (node.status == NodeStatus::Proposed || node.status == NodeStatus::Evaluated) &&
           !node.hasFlag(FlagReverted) && !view.isBlocked(node.id);
}

double numberParam(const std::string& key, const nlohmann::json& value, double min,
                   const std::string& expected)
{
    if (!value.is_number() || value.get<double>() < min || !std::isfinite(value.get<double>()))
        throw InputError("--param " + key + ": expected " + expected);
    return value.get<double>();
}

} // namespace

bool hgmShouldExpand(int evaluations, int children, double alpha)
{
    return std::pow(static_cast<double>(evaluations), alpha) >= static_cast<double>(children);
}

int hgmEvaluations(const ArchiveView& view)
{
    std::size_t count = view.evaluating.size();
    for (const auto& node : view.nodes)
        count += node.results.size();
    return static_cast<int>(count);
}

BetaCounts ownCounts(const ArchiveView& view, const Node& node)
{
    BetaCounts counts;
    // A node that failed its guards solved nothing the search may build on: every task it
    // was scored on counts as a failure, in its own estimate and in its ancestors' clades.
    if (!node.results.empty() && !view.passesGuards(node)) {
        counts.failures = static_cast<double>(node.results.size());
        return counts;
    }
    for (const auto& [task, score] : node.results) {
        const double solved = solvedFraction(view.direction, score);
        counts.successes += solved;
        counts.failures += 1.0 - solved;
    }
    return counts;
}

std::map<int, BetaCounts> cladeCounts(const ArchiveView& view)
{
    std::map<int, std::vector<int>> children;
    for (const auto& node : view.nodes)
        if (node.primaryParent() >= 0)
            children[node.primaryParent()].push_back(node.id);
    // Each node's own counts once (the guard check walks its ancestors), then pooled.
    std::map<int, BetaCounts> own;
    for (const auto& node : view.nodes)
        if (!view.isBlocked(node.id))
            own[node.id] = ownCounts(view, node);
    std::map<int, BetaCounts> pooled;
    for (const auto& node : view.nodes) {
        BetaCounts sum;
        std::vector<int> stack{node.id};
        while (!stack.empty()) {
            const int id = stack.back();
            stack.pop_back();
            const auto counts = own.find(id);
            if (counts == own.end())
                continue; // a blocked node's clade is blocked too (or an unknown id)
            sum.successes += counts->second.successes;
            sum.failures += counts->second.failures;
            if (const auto it = children.find(id); it != children.end())
                stack.insert(stack.end(), it->second.begin(), it->second.end());
        }
        pooled[node.id] = sum;
    }
    return pooled;
}

HgmStrategy::HgmStrategy(const nlohmann::json& params, std::uint64_t seed) : m_rng(seed)
{
    for (const auto& [key, value] : params.items()) {
        if (key == "alpha") {
            m_alpha = numberParam(key, value, 0, "a non-negative number (the exponent of the "
                                                 "expand rule evaluations^alpha >= children, "
                                                 "default 0.6)");
        } else if (key == "cooldown_beta") {
            m_cooldownBeta = numberParam(key, value, 0, "a non-negative number (the cool-down "
                                                        "exponent; 0 turns it off)");
        } else if (key == "cooldown_evaluations") {
            if (!value.is_number_integer() || value.get<long long>() < 1)
                throw InputError("--param cooldown_evaluations: expected a positive integer "
                                 "(the task-evaluation budget T of the cool-down)");
            m_cooldownEvaluations = value.get<int>();
        } else {
            throw InputError("--param " + key + ": unknown parameter of strategy hgm (expected: "
                                                "alpha, cooldown_beta, cooldown_evaluations)");
        }
    }
    if (m_cooldownBeta > 0 && m_cooldownEvaluations == 0)
        throw InputError("--param cooldown_evaluations: expected a positive integer when "
                         "cooldown_beta is set (the task-evaluation budget T of the cool-down)");
}

nlohmann::json HgmStrategy::parameters() const
{
    return {{"alpha", m_alpha},
            {"cooldown_beta", m_cooldownBeta},
            {"cooldown_evaluations", m_cooldownEvaluations}};
}

double HgmStrategy::cooldown(const ArchiveView& view) const
{
    if (m_cooldownBeta <= 0)
        return 1.0;
    // (T / (T − t))^β sharpens every posterior as the budget runs out: late draws exploit.
    // Past the budget the factor stays at its last finite value.
    const double total = m_cooldownEvaluations;
    const double left = std::max(1.0, total - hgmEvaluations(view));
    return std::pow(total / left, m_cooldownBeta);
}

double HgmStrategy::draw(const BetaCounts& counts, double factor)
{
    return sampleBeta(m_rng, factor * (1 + counts.successes), factor * (1 + counts.failures));
}

std::optional<int> HgmStrategy::sampleParent(const ArchiveView& view)
{
    const auto clades = cladeCounts(view);
    const double factor = cooldown(view);
    std::optional<int> best;
    double bestTheta = -1;
    for (const auto& node : view.nodes) {
        if (!isOpen(view, node) || node.status != NodeStatus::Evaluated || node.results.empty() ||
            !view.passesGuards(node))
            continue;
        const BetaCounts own = ownCounts(view, node);
        const double mean = own.successes / static_cast<double>(node.results.size());
        if (!std::isfinite(mean) || mean <= 0)
            continue;
        const double theta = draw(clades.at(node.id), factor);
        if (theta > bestTheta) {
            best = node.id;
            bestTheta = theta;
        }
    }
    return best;
}

std::optional<int> HgmStrategy::sampleTarget(const ArchiveView& view)
{
    const double factor = cooldown(view);
    std::optional<int> best;
    double bestTheta = -1;
    for (const auto& node : view.nodes) {
        if (!isOpen(view, node) || view.evaluating.count(node.id) ||
            hasEveryTask(node, view.tasks) || (!node.results.empty() && !view.passesGuards(node)))
            continue; // more tasks for a node that failed its guards would be wasted
        const double theta = draw(ownCounts(view, node), factor);
        if (theta > bestTheta) {
            best = node.id;
            bestTheta = theta;
        }
    }
    return best;
}

std::optional<StrategyInsight> HgmStrategy::insight(const ArchiveView& view) const
{
    StrategyInsight insight;
    insight.strategy = name();
    std::map<int, int> pooledNodes; // nodes with results in each clade, for the reader
    for (auto it = view.nodes.rbegin(); it != view.nodes.rend(); ++it) {
        // Ids grow from parent to child: a node's count is final once the later ids passed.
        if (view.isBlocked(it->id))
            continue;
        pooledNodes[it->id] += it->results.empty() ? 0 : 1;
        if (it->primaryParent() >= 0)
            pooledNodes[it->primaryParent()] += pooledNodes[it->id];
    }
    for (const auto& [id, counts] : cladeCounts(view)) {
        const double total = counts.successes + counts.failures;
        if (total <= 0)
            continue; // nothing evaluated in the clade yet: the estimate would be the prior
        NodeInsight& node = insight.nodes[id];
        node.cladeSuccesses = counts.successes;
        node.cladeFailures = counts.failures;
        node.cladeEstimate = (1 + counts.successes) / (2 + total);
        node.cladeNodes = pooledNodes[id];
    }
    return insight;
}

Action HgmStrategy::next(const ArchiveView& view)
{
    const int children = static_cast<int>(view.nodes.size()) - 1 + view.pendingExpansions;
    const bool wantExpand = hgmShouldExpand(hgmEvaluations(view), children, m_alpha);
    const bool busy = !view.evaluating.empty() || view.pendingExpansions > 0;
    if (wantExpand && !view.expansionsAllowed)
        // The rule would grow the tree now, so the evaluations it pays for are spent too.
        return {busy ? Action::Kind::Wait : Action::Kind::Stop, -1, {}, "budget reached"};
    if (wantExpand)
        if (const auto parent = sampleParent(view))
            return {Action::Kind::Expand, *parent, {}, "Thompson draw on clade results"};
    // Also when expanding was due but no node has solved anything yet.
    if (const auto target = sampleTarget(view)) {
        const auto missing = missingTasks(*view.find(*target), view.tasks);
        std::uniform_int_distribution<std::size_t> pick(0, missing.size() - 1);
        return {Action::Kind::Evaluate, *target, {missing[pick(m_rng)]},
                "Thompson draw on own results"};
    }
    if (!wantExpand && view.expansionsAllowed)
        if (const auto parent = sampleParent(view))
            return {Action::Kind::Expand, *parent, {}, "nothing left to evaluate"};
    if (busy)
        return {Action::Kind::Wait, -1, {}, "waiting for work in flight"};
    return {Action::Kind::Stop, -1, {}, "no task left to evaluate and no node that solved one"};
}

} // namespace clade::engine
