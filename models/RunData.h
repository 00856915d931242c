#pragma once

#include "engine/executor/PlacementRecord.h"
#include "engine/review/Finding.h"
#include "engine/run/RunConfig.h"
#include "engine/run/RunFacts.h"
#include "engine/run/SandboxSession.h"
#include "engine/store/Node.h"
#include "engine/store/RunStore.h"

#include <QMetaType>
#include <QString>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

namespace clade::models {

/// The engine's rule (engine/run/RunFacts.h), so the approval queue lists the nodes the
/// engine counts as waiting.
using engine::waitsForReview;

/// Risk findings (artifacts/<id>/review.json) of the nodes that wait for review, by id.
/// Read with the nodes so the approval queue never reads files on the GUI thread.
using FindingsById = std::map<int, std::vector<engine::Finding>>;

/// Cluster jobs a session of the run cancelled (a jobs_cancelled event).
struct CancelledJobs {
    std::vector<std::string> jobIds;
    std::string why;
    double time = 0; ///< unix seconds
};

/// What a run's events say about where its phases ran, for the status bar's cluster strip.
/// Empty for a run whose executor is local.
struct ClusterFacts {
    /// summarizePlacements() of the run's phase_placed events; byNode left empty (each
    /// node's placements come with its NodeDetails, so batches stay small).
    engine::ClusterActivity activity;
    std::vector<CancelledJobs> cancelled; ///< in the order they happened
};

/// Everything the explorer shows of a run when it opens it: read once off the GUI thread,
/// then handed over whole and never changed (later changes arrive as NodeBatch).
struct RunData {
    QString folder;
    engine::RunConfig config;
    std::vector<engine::Node> nodes; ///< ascending id
    /// A second copy of `nodes`, made on the reader's thread for the one consumer that keeps
    /// them on the GUI thread (the node list model) to move from: copying 100,000 nodes there
    /// would freeze the window for a noticeable moment. Empty once taken.
    std::shared_ptr<std::vector<engine::Node>> nodesToTake;
    std::int64_t lastEventSeq = 0;   ///< changes after this arrive as NodeBatch
    double activeSeconds = 0;
    int ownerPid = 0; ///< 0 when no process owns the run (nothing is running it)
    double readSeconds = 0;
    FindingsById heldFindings; ///< of every node that waitsForReview()
    std::set<int> personReverted; ///< nodes a person reverted (strategy views leave their clades out)
    /// What the sandbox of the run's latest session could not guarantee (none before one
    /// started); engine::sandboxWarning() says what that means.
    std::optional<engine::SandboxSession> sandboxSession;
    // A run imported from another system: its format ("aide", ...), where it came from and
    // the integrity problems the import found. Empty format: a run Clade searched.
    std::string importFormat;
    std::string importSource;
    std::vector<std::string> importWarnings;
    ClusterFacts cluster; ///< of a run whose executor is not local
};

/// Nodes added or changed since the previous batch (each at its latest state).
struct NodeBatch {
    std::vector<engine::Node> nodes;
    std::int64_t lastEventSeq = 0;
    int ownerPid = 0;
    double activeSeconds = 0;
    FindingsById heldFindings; ///< of the nodes in `nodes` that waitsForReview()
    std::set<int> personReverted; ///< all of them, as of this batch
    /// As of this batch: a session that started after the run was opened records its own.
    std::optional<engine::SandboxSession> sandboxSession;
    /// All of them, as of this batch; only set when a phase_placed or jobs_cancelled event
    /// arrived with it.
    std::optional<ClusterFacts> cluster;
};

/// What the inspector shows beyond the node row: its risk findings, review decisions
/// and notes.
struct NodeDetails {
    int nodeId = -1;
    std::vector<engine::Finding> findings;
    std::vector<engine::Decision> decisions;
    /// Where each of its phases ran, in the order they ran (phase_placed events); empty
    /// when they ran on this host.
    std::vector<engine::PlacedPhase> placements;
};

using NodeDetailsPtr = std::shared_ptr<const NodeDetails>;
using RunDataPtr = std::shared_ptr<const RunData>;
using NodeBatchPtr = std::shared_ptr<const NodeBatch>;

} // namespace clade::models

Q_DECLARE_METATYPE(clade::models::RunDataPtr)
Q_DECLARE_METATYPE(clade::models::NodeBatchPtr)
Q_DECLARE_METATYPE(clade::models::NodeDetailsPtr)
