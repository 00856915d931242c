#include "engine/run/ReviewHolds.h"

#include "engine/review/DecisionApplier.h"
#include "engine/review/Decisions.h"
#include "engine/review/GuardWorseningDetector.h"
#include "engine/review/ProposalReview.h"
#include "engine/review/ReviewArtifact.h"
#include "engine/review/RiskLabels.h"
#include "engine/run/RunFacts.h"
#include "engine/store/FindNode.h"
#include "engine/store/RunStore.h"
#include "engine/strategy/Strategy.h"

#include <spdlog/spdlog.h>

namespace clade::engine {

ReviewHolds::ReviewHolds(const RunFolder& folder, RunStore& store, const Manifest& manifest,
                         ReviewPolicy policy, const std::vector<Node>& nodes,
                         Coordinator coordinator)
    : m_folder(folder), m_store(store), m_manifest(manifest), m_policy(policy), m_nodes(nodes),
      m_coordinator(std::move(coordinator)), m_personReverted(personRevertedNodes(store)),
      m_pin(loadPin(store))
{
    updateBlocked();
}

void ReviewHolds::updateBlocked()
{
    m_blocked = blockedNodes(m_nodes, m_personReverted);
}

void ReviewHolds::applyInbox()
{
    const auto pending = m_store.pendingDecisions();
    if (pending.empty())
        return;
    DecisionApplier applier(m_folder, m_store, m_coordinator.reserveNodeId);
    for (const auto& decision : pending) {
        const auto result = applier.apply(decision);
        spdlog::info("{}: decision by {}: {}", m_folder.root.string(), decision.who,
                     result.outcome);
        for (int id : result.changedNodes)
            if (const auto node = m_store.loadNode(id))
                m_coordinator.update(*node);
        if (result.applied && decision.action == DecisionAction::Revert)
            m_personReverted.insert(decision.nodeId);
        m_pin = loadPin(m_store);
        updateBlocked();
        for (const auto& event : result.events)
            m_coordinator.tell(event);
    }
    m_waiting = false; // the strategy gets another look
}

bool ReviewHolds::holdRiskyKeep(const Node& node)
{
    // Each detector that can hold a keep, with the words the run's record uses for it.
    struct Detected {
        const char* label;
        std::optional<Finding> finding;
    };
    const Detected detected[] = {
        {KeepRiskLabel::ScoreJump, detectScoreJump(node, m_nodes, m_manifest)},
        {KeepRiskLabel::GuardWorsening, detectGuardWorsening(node, m_nodes, m_manifest)},
    };
    const bool hold = holdsKeep(m_policy);
    std::string reason;
    for (const Detected& d : detected) {
        if (!d.finding)
            continue;
        addFinding(m_folder, node.id, m_policy, *d.finding, hold);
        reason += (reason.empty() ? "" : "; ") + std::string(d.label) +
                  " held for review: " + d.finding->message;
    }
    if (reason.empty() || !hold)
        return false;
    Node updated = node;
    updated.flags = (node.flags & ~(FlagKept | FlagReverted)) | FlagHeld;
    const RunEvent event = m_store.setFlags(node.id, updated.flags, reason);
    m_coordinator.update(updated);
    updateBlocked();
    m_coordinator.tell(event);
    return true;
}

int ReviewHolds::expansionParent(int proposed)
{
    if (!m_pin)
        return proposed;
    const int parent = m_pin->node;
    if (m_pin->remaining > 0 && --m_pin->remaining == 0) {
        // The last expansion of this pin: unpinned on the record, in the same breath.
        m_store.removeMeta("pin");
        if (const Node* pinned = findNode(m_nodes, parent)) {
            Node updated = *pinned;
            updated.flags &= ~FlagPinned;
            const RunEvent event = m_store.setFlags(parent, updated.flags, "branch pin used up");
            m_coordinator.update(updated);
            m_coordinator.tell(event);
        }
        m_pin.reset();
    } else if (m_pin->remaining > 0) {
        m_store.setMeta("pin", pinMetaValue(m_pin));
    }
    return parent;
}

std::optional<std::string> ReviewHolds::finishOrWait(const std::string& reason, bool timeLeft)
{
    // Held work is not finished work: while a person may still approve something and the
    // time budget lasts, the run waits for them.
    const int held = countWaitingForReview(m_nodes);
    if (held > 0 && timeLeft) {
        if (!m_waiting)
            spdlog::warn("{}: {} ({}); waiting for review of {} node(s): clade review {}",
                         m_folder.root.string(), reason, "nothing else to do", held,
                         m_folder.root.string());
        m_waiting = true;
        return std::nullopt;
    }
    return held > 0 ? reason + "; " + std::to_string(held) + " node(s) still await review" : reason;
}

} // namespace clade::engine
