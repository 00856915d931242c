#pragma once

#include "engine/run/Job.h"
#include "engine/run/RunConfig.h"
#include "engine/run/RunOverrides.h"
#include "engine/run/RunProgress.h"
#include "engine/store/RunEvent.h"
#include "engine/store/RunFolder.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

namespace clade::llm {
class LlmClient;
} // namespace clade::llm

namespace clade::engine {

class ArchiveView;
class ReviewHolds;
class RunBudgets;
class RunLock;
class RunStore;
class Sandbox;
class ScratchSpace;
class Strategy;

/// How a call to RunEngine::run() ended.
struct RunOutcome {
    enum class Status {
        Finished,   ///< the strategy stopped or the budget was used up
        Stopped,    ///< stop() was called; `clade resume` continues
        InputError, ///< bad input found while running (exit status 2)
        Failed,     ///< the engine itself failed (exit status 1)
    };
    Status status = Status::Finished;
    std::string message;
};

/// Owns one run while it searches: takes the owner lock, recovers from an interrupted
/// session (CrashRecovery), then runs the strategy's actions on K worker threads until it
/// stops — within the run's budgets (RunBudgets), as people's decisions allow
/// (ReviewHolds), applying results in dispatch order so a run depends only on its seed.
/// Listeners are called on the thread that calls run(), never on a worker.
class RunEngine {
public:
    using Overrides = RunOverrides;
    using Listener = std::function<void(const RunEvent&, const RunProgress&)>;

    /// Opens and recovers the run. Throws InputError (not a run, owned by another process,
    /// newer schema, harness changed) or another exception for I/O failures.
    explicit RunEngine(const std::filesystem::path& runDir, const Overrides& overrides = {});
    ~RunEngine();
    RunEngine(const RunEngine&) = delete;
    RunEngine& operator=(const RunEngine&) = delete;

    void addListener(Listener listener);
    /// Blocks until the run ends. Call once.
    RunOutcome run();

    // Thread-safe controls.
    void pause();
    void resume();
    /// Ends the run: no new work; with `cancelRunning`, in-flight sandboxes are killed and
    /// their nodes re-queued for the next session.
    void stop(bool cancelRunning);

    const RunConfig& config() const { return m_config; }
    const std::filesystem::path& runDir() const { return m_folder.root; }
    /// Nodes as the coordinator knows them (call from the run() thread or after run()).
    const std::vector<Node>& nodes() const { return m_nodes; }
    /// Where the run stands, as listeners are told (same thread rule as nodes()).
    RunProgress progress() const;

private:
    void stageHarness();
    void workerLoop();
    void dispatch(Job job);
    /// Asks the strategy for work until every worker has a job or it says wait or stop.
    void fillWorkers();
    void apply(JobResult result);
    void emit(const RunEvent& event);
    /// Opens the run's model when it uses one (llm proposer, or the manifest's gateway).
    void openModel();
    void upsert(const Node& node);
    void fail(RunOutcome::Status status, const std::string& message);
    ArchiveView view() const;

    RunFolder m_folder;
    std::unique_ptr<RunLock> m_lock;
    RunConfig m_config;
    std::unique_ptr<RunStore> m_store; // the coordinator's own connection
    std::unique_ptr<Sandbox> m_sandbox;
    std::unique_ptr<ScratchSpace> m_scratch;
    std::unique_ptr<Strategy> m_strategy;
    std::unique_ptr<llm::LlmClient> m_llm; ///< null when the run uses no model
    std::unique_ptr<RunBudgets> m_budgets;
    std::unique_ptr<ReviewHolds> m_holds;
    std::atomic<int> m_refusedInARow{0}; ///< model requests refused since the last answer (llm proposer)
    std::filesystem::path m_stagedHarness;
    std::vector<Listener> m_listeners;

    // Coordinator state (run() thread only).
    std::vector<Node> m_nodes;
    std::set<int> m_evaluating;
    int m_pendingExpansions = 0;
    int m_nextId = 0;
    int m_consecutiveProposeFailures = 0;
    // Results are applied in dispatch order, whichever worker finishes first, so the
    // archive the strategy sees — and so the whole run — depends only on the seed.
    std::uint64_t m_nextSequence = 0;
    std::uint64_t m_nextToApply = 0;
    std::map<std::uint64_t, JobResult> m_completed;
    std::optional<RunOutcome> m_failure;
    std::optional<std::string> m_finishedReason;

    // Shared with workers (guarded by m_mutex).
    std::mutex m_mutex;
    std::condition_variable m_jobsChanged;
    std::condition_variable m_resultsChanged;
    std::deque<Job> m_jobs;
    std::deque<JobResult> m_results;
    bool m_quit = false;
    std::vector<std::thread> m_workers;

    std::atomic<bool> m_paused{false};
    std::atomic<bool> m_stopRequested{false};
    std::atomic<bool> m_cancel{false};
};

} // namespace clade::engine
