#pragma once
// A run whose executor is Slurm, with the phase_placed and jobs_cancelled events a Slurm
// run records, written by hand: no cluster needed to test what the explorer shows of them.

#include "engine/executor/PlacementRecord.h"
#include "engine/run/RunCreator.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"

#include <filesystem>
#include <string>

namespace testsupport {

inline clade::engine::PlacedPhase
slurmPhase(const std::string& phase, const std::string& job, const std::string& host,
           double queueSeconds, std::vector<clade::engine::PhasePlacement::LostAttempt> lost = {})
{
    clade::engine::PlacedPhase placed;
    placed.phase = phase;
    placed.where.executor = "slurm";
    placed.where.jobId = job;
    placed.where.stepId = "0";
    placed.where.host = host;
    placed.where.queueSeconds = queueSeconds;
    placed.where.lost = std::move(lost);
    return placed;
}

inline void recordPlacement(const std::filesystem::path& run, int nodeId,
                            const clade::engine::PlacedPhase& placed)
{
    clade::engine::RunStore store(clade::engine::RunFolder{run}.database());
    store.appendEvent(clade::engine::EventKind::PhasePlaced, nodeId,
                      clade::engine::placementJson(placed));
}

inline void recordCancelled(const std::filesystem::path& run, const std::vector<std::string>& jobs)
{
    clade::engine::RunStore store(clade::engine::RunFolder{run}.database());
    store.appendEvent(clade::engine::EventKind::JobsCancelled, -1,
                      {{"jobs", jobs}, {"why", "the run was stopped"}});
}

/// binpack with `executor` ("slurm" or "local"); node 0's score ran as job 536 on node7
/// after job 535 was lost on node3, and a stop cancelled jobs 537 and 538.
inline std::filesystem::path createPlacedRun(const std::filesystem::path& folder,
                                             const std::string& executor = "slurm")
{
    clade::engine::RunSettings settings;
    settings.iterations = 3;
    settings.workers = 1;
    settings.seed = 5;
    settings.executor.kind = executor;
    const auto run = clade::engine::createRun(
        std::filesystem::path(CLADE_SOURCE_DIR) / "examples" / "binpack", folder, settings);
    recordPlacement(
        run, 0,
        slurmPhase("score", "536", "node7", 0.05, {{"535", "node3", "node failure (NODE_FAIL)"}}));
    recordCancelled(run, {"537", "538"});
    return run;
}

} // namespace testsupport
