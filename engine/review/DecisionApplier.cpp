#include "engine/review/DecisionApplier.h"

#include "engine/git/Repository.h"
#include "engine/review/DecisionRules.h"
#include "engine/review/Decisions.h"

#include <algorithm>

namespace clade::engine {

DecisionApplier::DecisionApplier(const RunFolder& folder, RunStore& store,
                                 std::function<int()> nextNodeId)
    : m_folder(folder), m_store(store), m_nextNodeId(std::move(nextNodeId))
{
}

DecisionApplier::Result DecisionApplier::apply(const Decision& d)
{
    namespace A = DecisionAction;
    Result result;
    const auto node = m_store.loadNode(d.nodeId);
    const std::string why = node ? whyDecisionDoesNotFit(*node, d)
                                 : "node " + std::to_string(d.nodeId) + " does not exist";
    if (!why.empty()) {
        result.outcome = "not applied: " + why;
        if (d.id > 0)
            m_store.markDecisionApplied(d.id, result.outcome);
        return result;
    }
    if (d.action == A::Edit)
        return applyEdit(d, *node);
    if (d.action == A::Branch)
        return applyBranch(d, *node);

    const std::string name = "node " + std::to_string(node->id);
    DecisionEffect effect;
    unsigned flags = node->flags;
    const bool held = node->hasFlag(FlagHeld);
    if (d.action == A::Approve) {
        if (held) {
            effect.flags = (flags & ~(FlagHeld | FlagReverted)) | FlagKept;
            result.outcome = name + " approved: kept";
        } else {
            effect.status = NodeStatus::Proposed;
            result.outcome = name + " approved: queued for evaluation";
        }
    } else if (d.action == A::Reject) {
        if (held) {
            effect.flags = (flags & ~(FlagHeld | FlagKept)) | FlagReverted;
            result.outcome = name + " rejected: not kept";
        } else {
            effect.status = NodeStatus::Rejected;
            result.outcome = name + " rejected: it never runs";
        }
    } else if (d.action == A::Revert) {
        effect.flags = (flags & ~(FlagKept | FlagHeld)) | FlagReverted;
        result.outcome = name + " reverted: the search no longer builds on it or its clade";
    } else if (d.action == A::Unpin) {
        effect.flags = flags & ~FlagPinned;
        effect.meta["pin"] = "";
        result.outcome = name + " unpinned";
    } else if (d.action == A::Star || d.action == A::Unstar) {
        effect.flags = d.action == A::Star ? (flags | FlagStarred) : (flags & ~FlagStarred);
        result.outcome = name + (d.action == A::Star ? " starred" : " unstarred");
    } else if (d.action == A::Tag || d.action == A::Untag) {
        const std::string tag = d.payload.value("tag", std::string());
        auto tags = node->tags;
        tags.erase(std::remove(tags.begin(), tags.end(), tag), tags.end());
        if (d.action == A::Tag)
            tags.push_back(tag);
        std::sort(tags.begin(), tags.end());
        effect.tags = std::move(tags);
        result.outcome = name + (d.action == A::Tag ? " tagged '" : " untagged '") + tag + "'";
    } else { // Note
        result.outcome = "note on " + name;
    }
    result.events.push_back(m_store.applyDecision(d, effect, result.outcome));
    result.applied = true;
    result.changedNodes.push_back(node->id);
    return result;
}

DecisionApplier::Result DecisionApplier::applyBranch(const Decision& d, const Node& node)
{
    Result result;
    const int times = d.payload.value("times", 1);
    // One pin at a time: a new branch ends the old one, on the record.
    if (const auto previous = loadPin(m_store); previous && previous->node != node.id) {
        if (const auto old = m_store.loadNode(previous->node)) {
            Decision unpin{0, old->id, DecisionAction::Unpin, d.who, d.time,
                           "replaced by a branch from node " + std::to_string(node.id), {}};
            DecisionEffect effect;
            effect.flags = old->flags & ~FlagPinned;
            result.events.push_back(m_store.applyDecision(unpin, effect, "node " + std::to_string(old->id) + " unpinned"));
            result.changedNodes.push_back(old->id);
        }
    }
    DecisionEffect effect;
    effect.flags = node.flags | FlagPinned;
    effect.meta["pin"] = pinMetaValue(Pin{node.id, times == 0 ? -1 : times});
    result.outcome = "node " + std::to_string(node.id) + " pinned: " +
                     (times == 0 ? std::string("every expansion starts here until unpinned")
                      : times == 1 ? std::string("the next expansion starts here")
                                   : "the next " + std::to_string(times) + " expansions start here");
    result.events.push_back(m_store.applyDecision(d, effect, result.outcome));
    result.applied = true;
    result.changedNodes.push_back(node.id);
    return result;
}

DecisionApplier::Result DecisionApplier::applyEdit(const Decision& d, const Node& node)
{
    Result result;
    auto repo = git::Repository::openBare(m_folder.repo());
    const std::string hex = d.payload["commit"].get<std::string>();
    git::Oid edited;
    try {
        edited = git::Oid::fromHex(hex);
        if (repo.parentsOf(edited).empty())
            throw std::runtime_error("no parent");
    } catch (const std::exception&) {
        result.outcome = "not applied: the edited version " + hex + " is not a commit of this run";
        if (d.id > 0)
            m_store.markDecisionApplied(d.id, result.outcome);
        return result;
    }
    Node child;
    child.id = m_nextNodeId();
    child.parents = {node.id};
    child.commit = edited.hex();
    child.status = NodeStatus::Proposed; // a person wrote it: no approval to wait for
    child.description = d.payload.value("description", std::string());
    if (child.description.empty())
        child.description = "hand edit of node " + std::to_string(node.id);
    child.proposer.kind = "human";
    const auto stats = repo.diffStats(git::Oid::fromHex(node.commit), edited);
    child.diff = {stats.filesChanged, stats.insertions, stats.deletions};
    child.createdAt = child.updatedAt = unixNow();
    repo.setReference(RunFolder::nodeRef(child.id), edited,
                      "clade: hand edit of node " + std::to_string(node.id) + " by " + d.who);
    result.events.push_back(m_store.insertNode(child));

    // The candidate as proposed never runs: its edited child runs instead.
    DecisionEffect effect;
    if (node.status == NodeStatus::AwaitingApproval)
        effect.status = NodeStatus::Rejected;
    Decision recorded = d;
    recorded.payload["child"] = child.id;
    result.outcome = "node " + std::to_string(node.id) + " edited by hand: node " +
                     std::to_string(child.id) + " is queued for evaluation" +
                     (effect.status ? " in its place" : "");
    result.events.push_back(m_store.applyDecision(recorded, effect, result.outcome));
    result.applied = true;
    result.newChild = child.id;
    result.changedNodes = {node.id, child.id};
    return result;
}

} // namespace clade::engine
