#pragma once

#include "engine/executor/ExecutorSettings.h"
#include "engine/sandbox/Sandbox.h"

#include <filesystem>
#include <memory>
#include <string>

namespace clade::engine {

/// The run's executor: where its phases run. Local: this host's `sandboxBackend`
/// (makeSandbox()). Slurm: a SlurmExecutor, whose jobs carry the run's tag, holding (with
/// submit "steps") one CPU per worker with room for the largest of `phaseLimits`. Either
/// is a Sandbox to its callers. Throws InputError for settings that cannot work (no srun
/// on PATH).
std::unique_ptr<Sandbox> makePhaseExecutor(const ExecutorSettings& executor,
                                           const std::string& sandboxBackend,
                                           const std::filesystem::path& runFolder,
                                           double createdAt, int workers,
                                           const std::vector<SandboxLimits>& phaseLimits);

/// Cancels the jobs of the run still in the cluster's queue (none for the local
/// executor): at the start of a session, what a killed engine left behind; at its end,
/// anything a cancelled srun could not take down. Logs what it cancelled and returns their
/// ids; never throws.
std::vector<std::string> cancelLeftoverJobs(const ExecutorSettings& executor, const std::filesystem::path& runFolder,
                        double createdAt, const char* when);

/// Waits (up to `maxSeconds`) until no job of the run is left in the cluster's queue, not
/// even one still completing, so that a session that ends leaves nothing behind it; logs
/// the ones still there after that. Nothing to wait for with the local executor.
void awaitRunJobsGone(const ExecutorSettings& executor, const std::filesystem::path& runFolder,
                      double createdAt, double maxSeconds);

} // namespace clade::engine
