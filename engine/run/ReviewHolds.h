#pragma once

#include "engine/manifest/Manifest.h"
#include "engine/review/DecisionRules.h"
#include "engine/review/ReviewPolicy.h"
#include "engine/store/Node.h"
#include "engine/store/RunEvent.h"
#include "engine/store/RunFolder.h"

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace clade::engine {

class RunStore;

/// What people decide about a run while it searches, as the search must respect it: the
/// decisions inbox, keep decisions held for review after a risky keep, the branch pin, the
/// nodes no strategy may build on, and waiting for a person when nothing else is left.
/// Used on the coordinator's thread.
class ReviewHolds {
public:
    /// How the holds reach the coordinator: `update` puts a changed node into the nodes it
    /// keeps (the `nodes` the holds read), `tell` passes an event on to the run's listeners,
    /// `reserveNodeId` hands out the id of a hand-made child (an edit decision).
    struct Coordinator {
        std::function<void(const Node&)> update;
        std::function<void(const RunEvent&)> tell;
        std::function<int()> reserveNodeId;
    };

    /// `nodes`: the coordinator's nodes (ascending id), read as they change. Reads who
    /// reverted what and the branch pin from `store`.
    ReviewHolds(const RunFolder& folder, RunStore& store, const Manifest& manifest,
                ReviewPolicy policy, const std::vector<Node>& nodes, Coordinator coordinator);

    /// Applies what people decided since the last call (the decisions inbox), in order.
    void applyInbox();

    /// After an evaluation: a keep that looks like reward hacking — a score jump
    /// (detectScoreJump) or a score bought with a worse guard metric (detectGuardWorsening)
    /// — is recorded in the node's review.json whatever the policy, and under a policy that
    /// holds keeps the keep decision waits for a person. True when held.
    bool holdRiskyKeep(const Node& node);

    /// An expansion's parent: the pinned node while a branch pin lasts, else `proposed`.
    /// Each call counts the pin down; the last one unpins it on the record.
    int expansionParent(int proposed);

    /// The strategy has nothing left to do (`reason`). While nodes wait for a person and
    /// `timeLeft`, the run waits for them: nullopt, and waitingForReview(). Otherwise why
    /// the run finishes.
    std::optional<std::string> finishOrWait(const std::string& reason, bool timeLeft);
    /// The run waits for a person, nothing else being left; until the next decision.
    bool waitingForReview() const { return m_waiting; }

    /// Recomputes blocked() from the nodes, after one changed.
    void updateBlocked();
    /// The nodes strategies must leave alone (blockedNodes()).
    const std::set<int>& blocked() const { return m_blocked; }
    /// The nodes a person reverted (personRevertedNodes()).
    const std::set<int>& personReverted() const { return m_personReverted; }

private:
    RunFolder m_folder;
    RunStore& m_store;
    const Manifest& m_manifest;
    ReviewPolicy m_policy;
    const std::vector<Node>& m_nodes;
    Coordinator m_coordinator;
    std::set<int> m_personReverted; ///< reverted by a decision: their clades are blocked
    std::set<int> m_blocked;
    std::optional<Pin> m_pin;
    bool m_waiting = false;
};

} // namespace clade::engine
