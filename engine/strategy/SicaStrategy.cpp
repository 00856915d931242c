#include "engine/strategy/SicaStrategy.h"

#include "engine/util/InputError.h"

#include <cmath>

namespace clade::engine {

double lowerConfidenceBound(const std::map<std::string, double>& results, double z)
{
    if (results.empty())
        return -INFINITY;
    double sum = 0;
    for (const auto& [task, score] : results)
        sum += score;
    const double n = static_cast<double>(results.size());
    const double mean = sum / n;
    if (results.size() < 2)
        return mean;
    double squares = 0;
    for (const auto& [task, score] : results)
        squares += (score - mean) * (score - mean);
    const double sd = std::sqrt(squares / (n - 1));
    return mean - z * sd / std::sqrt(n);
}

std::optional<int> sicaBase(const ArchiveView& view, double z)
{
    const auto best = bestNode(view);
    if (!best)
        return std::nullopt;
    const Node& bestNodeRef = *view.find(*best);
    // For a minimized metric the bound is taken on negated scores, i.e. an upper bound.
    std::map<std::string, double> oriented;
    for (const auto& [task, score] : bestNodeRef.results)
        oriented[task] = view.oriented(score);
    const double bound = lowerConfidenceBound(oriented, z);
    for (auto it = view.nodes.rbegin(); it != view.nodes.rend(); ++it)
        if (isBestCandidate(view, *it) && view.oriented(*it->score) >= bound)
            return it->id;
    return best;
}

SicaStrategy::SicaStrategy(const nlohmann::json& params, std::uint64_t /*seed: sica is greedy*/)
{
    for (const auto& [key, value] : params.items()) {
        if (key == "z") {
            if (!value.is_number() || value.get<double>() < 0)
                throw InputError("--param z: expected a non-negative number (the confidence "
                                 "bound's z, default 1.96)");
            m_z = value.get<double>();
        } else {
            throw InputError("--param " + key + ": unknown parameter of strategy sica "
                                                "(expected: z)");
        }
    }
}

nlohmann::json SicaStrategy::parameters() const
{
    return {{"z", m_z}};
}

Action SicaStrategy::next(const ArchiveView& view)
{
    // Finish evaluating whatever was proposed before proposing more.
    if (auto evaluate = evaluateOldestProposed(view, "evaluate new child"))
        return *evaluate;
    const bool busy = !view.evaluating.empty() || view.pendingExpansions > 0;
    const auto base = sicaBase(view, m_z);
    if (!base) {
        if (busy)
            return {Action::Kind::Wait, -1, {}, "waiting for the root's evaluation"};
        return {Action::Kind::Stop, -1, {}, "no node could be evaluated"};
    }
    if (!view.expansionsAllowed)
        return {busy ? Action::Kind::Wait : Action::Kind::Stop, -1, {}, "budget reached"};
    return {Action::Kind::Expand, *base, {}, "newest node within the best's confidence bound"};
}

std::optional<unsigned> SicaStrategy::flagsAfterEvaluation(const ArchiveView& view, const Node& node)
{
    if (node.status != NodeStatus::Evaluated || !node.score)
        return std::nullopt;
    unsigned flags = node.flags & ~(FlagKept | FlagReverted);
    // However well it scores, a child that failed its guards is reverted.
    if (!view.passesGuards(node))
        return flags | FlagReverted;
    const auto best = bestNode(view);
    if (!best || *best == node.id || node.parents.empty())
        return flags | FlagKept;
    std::map<std::string, double> oriented;
    for (const auto& [task, score] : view.find(*best)->results)
        oriented[task] = view.oriented(score);
    const bool keep = view.oriented(*node.score) >= lowerConfidenceBound(oriented, m_z);
    return flags | (keep ? FlagKept : FlagReverted);
}

} // namespace clade::engine
