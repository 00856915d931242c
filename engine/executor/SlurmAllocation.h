#pragma once

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace clade::engine {

/// The one allocation a run holds on the cluster when its phases run as job steps
/// (SlurmSettings::submit "steps", the default: BENCHMARKS.md, "Slurm executor", has the
/// figures). A pilot job that only sleeps, named after the run, with one CPU per worker;
/// each phase is then `srun --jobid=J --exact`, which neither queues nor adds a job.
///
/// The first phase that needs it submits it and waits until it runs (that wait is the
/// queue wait); a phase that finds it gone (time limit, node failure, scancel) has the next
/// one submitted. Safe to use from every worker thread.
/// The allocation ended before it ran (cancelled, failed while pending): like a lost job,
/// the phase may try again with a new one.
struct AllocationLost : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class SlurmAllocation {
public:
    /// `sbatchArgs`: everything but the program (`--wrap` is added).
    SlurmAllocation(std::string sbatch, std::string squeue, std::string scancel,
                    std::vector<std::string> sbatchArgs);

    /// The running allocation's job id, submitting one and waiting for it if there is none.
    /// Empty when `*cancel` was set while waiting (the pending job is cancelled). Throws
    /// AllocationLost when it ended before it ran, std::runtime_error with sbatch's words
    /// when the cluster refuses it.
    std::string acquire(const std::atomic<bool>* cancel);

    /// After a step of `jobId` was lost: if that allocation is no longer running, the next
    /// acquire() submits a new one.
    void forgetIfGone(const std::string& jobId);

    /// Cancels the held allocation (the run's session ends); returns its id, or empty.
    std::string release();

private:
    /// squeue's state of `jobId` ("RUNNING", "PENDING", ...); empty when it left the queue.
    std::string stateOf(const std::string& jobId) const;

    std::string m_sbatch, m_squeue, m_scancel;
    std::vector<std::string> m_args;
    std::mutex m_mutex;
    std::string m_jobId; ///< guarded by m_mutex; empty: none held
};

} // namespace clade::engine
