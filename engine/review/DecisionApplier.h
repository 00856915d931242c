#pragma once

#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace clade::engine {

/// The owner's side of the decisions inbox: turns one decision into its effect on the run
/// (status, flags, tags, the pin, a hand-made child) with its audit record. Used by the
/// running engine for what arrives in the inbox, and by submitDecision when no process owns
/// the run. The caller holds the owner lock.
class DecisionApplier {
public:
    struct Result {
        bool applied = false;  ///< false: the decision no longer fit; its inbox row is closed
        std::string outcome;   ///< for a person: what happened, or why nothing did
        std::vector<RunEvent> events;
        std::vector<int> changedNodes; ///< to reload (the decided node, a child, an unpinned node)
        std::optional<int> newChild;   ///< Edit: the hand-made child's id
    };

    /// `nextNodeId` hands out the id of a hand-made child (the engine reserves it among its
    /// own; without an engine, the store's highest id + 1).
    DecisionApplier(const RunFolder& folder, RunStore& store, std::function<int()> nextNodeId);

    Result apply(const Decision& decision);

private:
    Result applyEdit(const Decision& decision, const Node& node);
    Result applyBranch(const Decision& decision, const Node& node);

    RunFolder m_folder;
    RunStore& m_store;
    std::function<int()> m_nextNodeId;
};

} // namespace clade::engine
