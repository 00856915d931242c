#include "engine/executor/SlurmAllocation.h"

#include "engine/executor/ClientProcess.h"
#include "engine/executor/SlurmExecutor.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <stdexcept>
#include <thread>
#include <utility>

namespace clade::engine {

namespace {

std::string trimmed(std::string text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r'))
        text.pop_back();
    return text;
}

} // namespace

SlurmAllocation::SlurmAllocation(std::string sbatch, std::string squeue, std::string scancel,
                                 std::vector<std::string> sbatchArgs)
    : m_sbatch(std::move(sbatch)), m_squeue(std::move(squeue)), m_scancel(std::move(scancel)),
      m_args(std::move(sbatchArgs))
{
}

std::string SlurmAllocation::stateOf(const std::string& jobId) const
{
    const ClientOutput out =
        runClient({m_squeue, "--noheader", "--jobs=" + jobId, "--format=%T"}, slurmClientEnvironment());
    // A job that left the queue: squeue prints nothing, or refuses the id ("Invalid job id").
    return out.exit.ok() ? trimmed(out.out) : std::string();
}

std::string SlurmAllocation::acquire(const std::atomic<bool>* cancel)
{
    std::lock_guard lock(m_mutex);
    if (m_jobId.empty()) {
        std::vector<std::string> argv = {m_sbatch};
        argv.insert(argv.end(), m_args.begin(), m_args.end());
        argv.push_back("--wrap=exec sleep infinity");
        const ClientOutput out = runClient(argv, slurmClientEnvironment());
        // --parsable: "42" or "42;cluster".
        const std::string id = trimmed(out.out).substr(0, trimmed(out.out).find(';'));
        if (!out.exit.ok() || id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
            throw std::runtime_error("sbatch refused the run's allocation: " + trimmed(out.err));
        m_jobId = id;
        spdlog::info("slurm: allocation {} submitted for the run's phases", id);
    }
    // Waiting for it to start is the queue wait; a poll of squeue, as sbatch --wait does.
    for (;;) {
        const std::string state = stateOf(m_jobId);
        if (state == "RUNNING")
            return m_jobId;
        if (state != "PENDING" && state != "CONFIGURING") {
            const std::string gone = m_jobId;
            m_jobId.clear();
            throw AllocationLost("the run's allocation " + gone + " ended before it ran (" +
                                     (state.empty() ? std::string("no longer queued") : state) + ")");
        }
        if (cancel && cancel->load()) {
            runClient({m_scancel, m_jobId}, slurmClientEnvironment());
            m_jobId.clear();
            return {};
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

void SlurmAllocation::forgetIfGone(const std::string& jobId)
{
    std::lock_guard lock(m_mutex);
    if (m_jobId != jobId || jobId.empty())
        return;
    if (stateOf(jobId) != "RUNNING") {
        spdlog::warn("slurm: allocation {} is gone; the next phase submits a new one", jobId);
        m_jobId.clear();
    }
}

std::string SlurmAllocation::release()
{
    std::lock_guard lock(m_mutex);
    if (m_jobId.empty())
        return {};
    runClient({m_scancel, m_jobId}, slurmClientEnvironment());
    return std::exchange(m_jobId, {});
}

} // namespace clade::engine
