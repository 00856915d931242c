#include "engine/strategy/AdasStrategy.h"

#include "engine/strategy/SicaStrategy.h"
#include "engine/util/InputError.h"

namespace clade::engine {

std::optional<int> adasParent(const ArchiveView& view, AdasStrategy::Parent rule)
{
    if (rule == AdasStrategy::Parent::Best)
        return bestNode(view);
    for (auto it = view.nodes.rbegin(); it != view.nodes.rend(); ++it)
        if (isBestCandidate(view, *it))
            return it->id;
    return std::nullopt;
}

AdasStrategy::AdasStrategy(const nlohmann::json& params, std::uint64_t /*seed: adas is greedy*/)
{
    for (const auto& [key, value] : params.items()) {
        if (key == "parent") {
            if (value == "best")
                m_parent = Parent::Best;
            else if (value == "newest")
                m_parent = Parent::Newest;
            else
                throw InputError("--param parent: expected \"best\" or \"newest\" (the node "
                                 "each new agent starts from, default best)");
        } else {
            throw InputError("--param " + key + ": unknown parameter of strategy adas "
                                                "(expected: parent)");
        }
    }
}

nlohmann::json AdasStrategy::parameters() const
{
    return {{"parent", m_parent == Parent::Best ? "best" : "newest"}};
}

Action AdasStrategy::next(const ArchiveView& view)
{
    if (auto evaluate = evaluateOldestProposed(view, "evaluate the new agent"))
        return *evaluate;
    // One generation at a time: the next agent must see the previous one's fitness.
    if (!view.evaluating.empty() || view.pendingExpansions > 0)
        return {Action::Kind::Wait, -1, {}, "the current generation is still running"};
    const auto parent = adasParent(view, m_parent);
    if (!parent)
        return {Action::Kind::Stop, -1, {}, "no node could be evaluated"};
    if (!view.expansionsAllowed)
        return {Action::Kind::Stop, -1, {}, "budget reached"};
    return {Action::Kind::Expand, *parent, {},
            m_parent == Parent::Best ? "new agent from the best so far"
                                     : "new agent from the newest"};
}

std::optional<unsigned> AdasStrategy::flagsAfterEvaluation(const ArchiveView& view, const Node& node)
{
    // Keep-all: every evaluated agent joins the archive, whatever its fitness, but one that
    // failed its guards is reverted: the meta agent may read it, never start from it. A
    // node a person took out of the search stays out.
    if (node.status != NodeStatus::Evaluated || view.isBlocked(node.id))
        return std::nullopt;
    if (!view.passesGuards(node))
        return (node.flags & ~FlagKept) | FlagReverted;
    return node.flags | FlagKept;
}

} // namespace clade::engine
