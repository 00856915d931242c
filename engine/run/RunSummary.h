#pragma once

#include "engine/executor/PlacementRecord.h"
#include "engine/run/RunConfig.h"
#include "engine/run/SandboxWarning.h"
#include "engine/store/Node.h"
#include "engine/store/RunStore.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

namespace clade::engine {

/// A read-only snapshot of a run folder for `clade status/show/export` and the GUI. Opening
/// it never takes the owner lock, so it works while another process runs the search.
struct RunSnapshot {
    std::filesystem::path folder;
    RunConfig config;
    std::vector<Node> nodes;
    std::map<std::string, int> countsByStatus;
    std::set<int> personReverted; ///< nodes a person reverted: their clades are never best
    double activeSeconds = 0;
    int ownerPid = 0;
    std::optional<SandboxSession> sandboxSession; ///< the latest session's, if one started
    /// Where phases ran, from the phase_placed events (read only for a run whose executor
    /// is not local).
    ClusterActivity cluster;

    /// Throws InputError when `folder` is not a readable run.
    static RunSnapshot read(const std::filesystem::path& folder);

    const Node* find(int id) const;
    /// runBest() (engine/run/RunFacts.h): the node the engine and every view name as best.
    const Node* best() const;
    /// sandboxWarning() (engine/run/SandboxWarning.h) of this run.
    SandboxWarning sandboxWarning() const;
    /// `clade status --json`. Besides counts, best and budget: "guards" (the manifest's),
    /// "guard_failures" (every evaluated node that fails them, each failed guard with its
    /// verdict and explanation, as checkGuards() says) and "pareto_front" (the run's
    /// objectives and the ids of the non-dominated nodes among the evaluated nodes that
    /// pass their guards: paretoFront()). "executor", and for a cluster run "cluster": the
    /// run's job tag, phases run there, lost attempts, queue wait, each node's jobs
    /// (recorded facts only; `clade status` adds the live queue).
    nlohmann::json statusJson() const;
    nlohmann::json clusterJson() const;
};

} // namespace clade::engine
