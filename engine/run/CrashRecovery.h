#pragma once

#include "engine/store/Node.h"
#include "engine/store/RunFolder.h"

#include <vector>

namespace clade::engine {

class RunStore;

/// Puts right what a session that ended without cleaning up (a crash, kill -9, a power
/// cut) left in a run, before a new session searches it. The caller holds the owner lock,
/// so no one else is writing.
class CrashRecovery {
public:
    /// The run as the new session starts it.
    struct Recovered {
        std::vector<Node> nodes;  ///< ascending id; none left evaluating
        int nextId = 0;           ///< the id the next child gets
        double activeSeconds = 0; ///< the active time earlier sessions used
    };

    CrashRecovery(const RunFolder& folder, RunStore& store);

    /// Sweeps what dead engines left on the machine (scratch folders, sandbox cgroups),
    /// re-queues evaluations cut short, removes leftovers of proposals that never got their
    /// row and git's stale lock files, repairs the repository's packs and the node
    /// references from the database. Throws InputError when the run has no root node.
    Recovered recover() const;

private:
    /// Nodes left evaluating go back to proposed, with a requeued event.
    void requeueInterrupted(std::vector<Node>& nodes) const;
    /// git's `*.lock` files, and artifact folders of ids from `nextId` on (or not ids).
    void removeUnfinishedWrites(int nextId) const;
    /// A pack cut short, an index that did not reach the disk; then the small packs merged.
    void repairPacks() const;

    RunFolder m_folder;
    RunStore& m_store;
};

} // namespace clade::engine
