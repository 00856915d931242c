#include "engine/executor/PhaseExecutor.h"

#include "engine/executor/SlurmExecutor.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace clade::engine {

std::unique_ptr<Sandbox> makePhaseExecutor(const ExecutorSettings& executor,
                                           const std::string& sandboxBackend,
                                           const std::filesystem::path& runFolder,
                                           double createdAt, int workers,
                                           const std::vector<SandboxLimits>& phaseLimits)
{
    if (executor.isLocal())
        return makeSandbox(sandboxBackend);
    // The node makes the sandbox; checked here so a typo fails before any job is queued.
    if (!sandboxBackend.empty() && sandboxBackend != "bwrap" && sandboxBackend != "unsafe-rlimits")
        makeSandbox(sandboxBackend);
    SlurmAllocationShape shape;
    shape.tasks = workers;
    int largest = 0;
    for (const SandboxLimits& limits : phaseLimits)
        largest = std::max(largest, limits.memoryMb > 0 ? limits.memoryMb : 4096);
    shape.memoryMbPerTask = largest + 256; // clade phase-run's own, as srunArguments() asks
    return std::make_unique<SlurmExecutor>(executor.slurm, sandboxBackend.empty() ? "bwrap" : sandboxBackend,
                                           slurmRunTag(runFolder, createdAt), shape);
}

std::vector<std::string> cancelLeftoverJobs(const ExecutorSettings& executor,
                                            const std::filesystem::path& runFolder,
                                            double createdAt, const char* when)
{
    if (executor.isLocal())
        return {};
    const std::string tag = slurmRunTag(runFolder, createdAt);
    try {
        const auto cancelled = cancelSlurmRunJobs(tag);
        if (!cancelled.empty())
            spdlog::warn("slurm: cancelled {} job(s) named {} {}", cancelled.size(), tag, when);
        return cancelled;
    } catch (const std::exception& e) {
        spdlog::warn("slurm: cannot look for the run's jobs ({}): {}", tag, e.what());
        return {};
    }
}

void awaitRunJobsGone(const ExecutorSettings& executor, const std::filesystem::path& runFolder,
                      double createdAt, double maxSeconds)
{
    if (executor.isLocal())
        return;
    const std::string tag = slurmRunTag(runFolder, createdAt);
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(maxSeconds));
    try {
        for (;;) {
            const auto left = slurmRunJobs(tag);
            if (left.empty())
                return;
            if (std::chrono::steady_clock::now() >= deadline) {
                spdlog::warn("slurm: {} job(s) named {} still in the queue after {} s (cancelled, "
                             "still ending)", left.size(), tag, maxSeconds);
                return;
            }
            // Cancelled jobs leave the queue once slurmd has killed their processes.
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    } catch (const std::exception& e) {
        spdlog::warn("slurm: cannot look for the run's jobs ({}): {}", tag, e.what());
    }
}

} // namespace clade::engine
