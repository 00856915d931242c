#pragma once

#include "engine/executor/ExecutorSettings.h"
#include "engine/sandbox/Sandbox.h"

#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace clade::engine {

/// Runs each phase on a Slurm compute node, in that node's sandbox, through the same
/// interface as the local sandbox: a strategy, a worker and the run store cannot tell them
/// apart. One `srun` per phase, as a step of the run's allocation (SlurmAllocation; the
/// default) or as a job of its own (SlurmSettings::submit; the choice and its figures:
/// BENCHMARKS.md, "Slurm executor"). srun blocks until the phase ends, carries the phase
/// stream (PhaseCodec.h) over its standard input and output, and `clade phase-run` on the
/// node unpacks it and runs the command there. No shared file system is needed.
///
/// A phase whose job is lost (node failure, preemption, time limit, scancel: the stream
/// ends without its end mark) runs again, up to SlurmSettings::attempts in all; each lost
/// attempt is in the result's placement. What the command did in the sandbox (a limit hit,
/// a crash) is a result and is never retried. Every job carries the run's tag as its job
/// name, so cancelRunJobs() finds them after a crash.
///
/// Slurm's client programs run with PATH, HOME, USER, LOGNAME, LANG and SLURM_CONF of the
/// engine's environment and nothing else, and with --export=NONE: an API key in the
/// engine's environment never reaches a job.
class SlurmAllocation;

/// The allocation a "steps" run holds: one task of one CPU per worker, each with room for
/// the largest phase (its memory limit and clade phase-run's own).
struct SlurmAllocationShape {
    int tasks = 1;
    int memoryMbPerTask = 2048;
};

class SlurmExecutor final : public Sandbox {
public:

    /// `backend`: the sandbox on the nodes ("bwrap" or "unsafe-rlimits"). `runTag`: the job
    /// name of every job of the run (slurmRunTag()). Throws InputError when srun is not on
    /// PATH.
    SlurmExecutor(SlurmSettings settings, std::string backend, std::string runTag,
                  SlurmAllocationShape shape = {});
    ~SlurmExecutor() override;

    std::string name() const override { return m_backend; }
    SandboxResult run(const SandboxSpec& spec, const std::atomic<bool>* cancel = nullptr) override;
    /// Empty: the gaps are the nodes' own; each node's are logged the first time a phase
    /// runs there.
    std::vector<std::string> unenforcedLimits() const override { return {}; }
    std::vector<std::string> takeCancelledJobs() override;
    /// Cancels the run's allocation ("steps"); its id, or nothing.
    std::vector<std::string> releaseHeld() override;

    /// srun's arguments for a phase with `limits`, program and its arguments excluded; for
    /// a step, `allocation` is the job it runs in.
    std::vector<std::string> srunArguments(const SandboxLimits& limits,
                                           const std::string& allocation = {}) const;
    /// sbatch's arguments for the run's allocation ("steps"), `--wrap` excluded.
    std::vector<std::string> allocationArguments(const SlurmAllocationShape& shape) const;
    const std::string& runTag() const { return m_tag; }

private:
    struct Attempt;
    Attempt runOnce(const std::string& request, const SandboxSpec& spec,
                    const std::atomic<bool>* cancel);
    /// --time (when not empty), then the user's partition, account and extra options: what
    /// the job that holds the CPUs (the allocation, or a phase's own job) is submitted with.
    void appendSiteOptions(std::vector<std::string>& args, const std::string& time) const;
    void noteNodeSandbox(const std::string& host, const std::string& payload);

    SlurmSettings m_settings;
    std::string m_backend;
    std::string m_tag;
    std::string m_srun;
    std::string m_scancel;
    std::string m_clade;
    std::unique_ptr<SlurmAllocation> m_allocation; ///< "steps" only
    std::mutex m_mutex;
    std::set<std::string> m_hostsSeen; ///< guarded by m_mutex
    std::vector<std::string> m_cancelledJobs; ///< guarded by m_mutex
};

/// The job name of every job a run submits: "clade-" and 12 hex digits from the run's
/// folder and creation time, the same in every process that opens the run.
std::string slurmRunTag(const std::filesystem::path& runFolder, double createdAt);

/// The environment Slurm's client programs get (see SlurmExecutor).
std::vector<std::string> slurmClientEnvironment();

/// `name` found on PATH, as an absolute path; empty when it is not there.
std::string findOnPath(const std::string& name);

/// The jobs (ids) of the calling user that carry `runTag` as their name, pending or
/// running. Throws std::runtime_error when squeue fails.
std::vector<std::string> slurmRunJobs(const std::string& runTag);

/// The jobs of the calling user that carry `runTag`, by state: waiting in the queue, or
/// started (running, completing). Throws std::runtime_error when squeue fails.
struct SlurmQueueCounts {
    int pending = 0;
    int running = 0;
};
SlurmQueueCounts slurmQueueCounts(const std::string& runTag);

/// Cancels every job that carries `runTag`; returns their ids.
std::vector<std::string> cancelSlurmRunJobs(const std::string& runTag);

} // namespace clade::engine
