#include "engine/run/RunEngine.h"

#include "engine/eval/GuardCheck.h"
#include "engine/eval/HarnessPin.h"
#include "engine/llm/LlmClient.h"
#include "engine/llm/Usage.h"
#include "engine/run/ChildSeed.h"
#include "engine/run/CrashRecovery.h"
#include "engine/run/MergeSmallPacks.h"
#include "engine/run/NodeWorker.h"
#include "engine/run/ReviewHolds.h"
#include "engine/run/RunBudgets.h"
#include "engine/run/RunFacts.h"
#include "engine/run/SandboxSession.h"
#include "engine/sandbox/Sandbox.h"
#include "engine/sandbox/SandboxHost.h"
#include "engine/store/RunLock.h"
#include "engine/store/RunStore.h"
#include "engine/strategy/Strategy.h"
#include "engine/executor/PhaseExecutor.h"
#include "engine/util/InputError.h"
#include "engine/util/ScratchSpace.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace clade::engine {
namespace fs = std::filesystem;

RunEngine::RunEngine(const fs::path& runDir, const Overrides& overrides)
    : m_folder{fs::absolute(runDir).lexically_normal()}
{
    m_folder.requireValid();
    m_lock = std::make_unique<RunLock>(m_folder.root);
    m_config = RunConfig::load(m_folder.root);
    auto& settings = m_config.settings;
    const bool changed = overrides.applyTo(settings);
    m_store = std::make_unique<RunStore>(m_folder.database());
    const ReviewPolicy review =
        reviewPolicyFromString(settings.review, m_folder.runJson().string() + ": field 'review'");
    m_strategy = makeStrategy(settings.strategy, settings.strategyParams, settings.seed);
    if (!settings.executor.isLocal() && !m_config.manifest.llmGateway.empty())
        throw InputError(m_folder.runJson().string() +
                         ": field 'executor': the manifest's llm_gateway needs the model "
                         "gateway on the compute nodes, which the slurm executor does not "
                         "forward yet; run this agent with the local executor");
    std::vector<SandboxLimits> phaseLimits = {m_config.manifest.solve.limits,
                                              m_config.manifest.score.limits};
    if (m_config.manifest.propose)
        phaseLimits.push_back(m_config.manifest.propose->limits);
    m_sandbox = makePhaseExecutor(settings.executor, settings.sandbox, m_folder.root,
                                  m_config.createdAt, std::max(1, settings.workers), phaseLimits);
    if (changed)
        m_config.save(m_folder.root);
    CrashRecovery::Recovered recovered = CrashRecovery(m_folder, *m_store).recover();
    m_nodes = std::move(recovered.nodes);
    m_nextId = recovered.nextId;
    m_holds = std::make_unique<ReviewHolds>(
        m_folder, *m_store, m_config.manifest, review, m_nodes,
        ReviewHolds::Coordinator{[this](const Node& node) { upsert(node); },
                                 [this](const RunEvent& event) { emit(event); },
                                 [this] { return m_nextId++; }});
    m_budgets = std::make_unique<RunBudgets>(settings, m_nodes, recovered.activeSeconds);
    openModel();
    stageHarness();
}

void RunEngine::openModel()
{
    const auto& s = m_config.settings;
    const bool needsModel = s.proposer == "llm" || !m_config.manifest.llmGateway.empty();
    if (!needsModel)
        return;
    if (!s.llm)
        throw InputError(m_folder.runJson().string() + ": field 'llm': expected the model to call (" +
                         (s.proposer == "llm" ? std::string("the llm proposer needs one")
                                              : "the manifest's llm_gateway needs one") +
                         "); start the run with --llm-provider and --llm-model");
    m_llm = std::make_unique<llm::LlmClient>(*s.llm, s.prices);
}

RunEngine::~RunEngine()
{
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
        m_cancel = true;
    }
    m_jobsChanged.notify_all();
    for (auto& worker : m_workers)
        if (worker.joinable())
            worker.join();
}

void RunEngine::stageHarness()
{
    verifyHarness(m_folder.harness(), m_config.harnessSha256);
    m_scratch = std::make_unique<ScratchSpace>(sandboxUid(), sandboxGid());
    m_stagedHarness = m_scratch->root() / "harness";
    copyFolder(m_folder.harness(), m_stagedHarness);
    verifyHarness(m_stagedHarness, m_config.harnessSha256);
}

void RunEngine::addListener(Listener listener)
{
    m_listeners.push_back(std::move(listener));
}

void RunEngine::pause()
{
    m_paused = true;
    m_resultsChanged.notify_all();
}

void RunEngine::resume()
{
    m_paused = false;
    m_resultsChanged.notify_all();
}

void RunEngine::stop(bool cancelRunning)
{
    m_stopRequested = true;
    if (cancelRunning)
        m_cancel = true;
    m_resultsChanged.notify_all();
}

ArchiveView RunEngine::view() const
{
    return ArchiveView(m_nodes, m_config.manifest.tasks, m_config.manifest.direction)
        .inFlight(m_evaluating, m_pendingExpansions)
        .allowingExpansions(m_budgets->expansionsAllowed(m_nodes, m_pendingExpansions))
        .blocking(m_holds->blocked())
        .guardedBy(m_config.manifest.guards);
}

RunProgress RunEngine::progress() const
{
    // The run's facts as every reader states them, then what only the driver knows.
    RunProgress p = storedProgress(m_nodes, m_config, m_holds->personReverted(),
                                   m_budgets->elapsedSeconds());
    p.queued = 0;
    for (const auto& node : m_nodes)
        p.queued += node.status == NodeStatus::Proposed && !m_evaluating.count(node.id);
    p.running = static_cast<int>(m_evaluating.size()) + m_pendingExpansions;
    p.taskEvaluations = m_budgets->taskEvaluationsSpent(m_nodes);
    p.costUsed = m_budgets->cost().spent();
    p.paused = m_paused;
    p.waitingForReview = m_holds->waitingForReview();
    return p;
}

void RunEngine::emit(const RunEvent& event)
{
    const RunProgress p = progress();
    for (const auto& listener : m_listeners)
        listener(event, p);
}

void RunEngine::upsert(const Node& node)
{
    for (auto& existing : m_nodes)
        if (existing.id == node.id) {
            existing = node;
            return;
        }
    m_nodes.push_back(node);
    std::sort(m_nodes.begin(), m_nodes.end(),
              [](const Node& a, const Node& b) { return a.id < b.id; });
}

void RunEngine::fail(RunOutcome::Status status, const std::string& message)
{
    if (!m_failure)
        m_failure = RunOutcome{status, message};
    m_stopRequested = true;
    m_cancel = true;
}

void RunEngine::workerLoop()
{
    std::unique_ptr<NodeWorker> worker;
    std::string startError;
    try {
        std::optional<NodeWorker::Model> model;
        if (m_llm)
            model.emplace(NodeWorker::Model{*m_llm, m_budgets->cost(), m_refusedInARow});
        worker = std::make_unique<NodeWorker>(m_folder, m_config, *m_sandbox, *m_scratch,
                                              m_stagedHarness, m_cancel,
                                              model ? &*model : nullptr);
    } catch (const std::exception& e) {
        startError = e.what();
    }
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_jobsChanged.wait(lock, [&] { return m_quit || !m_jobs.empty(); });
            if (m_jobs.empty())
                return;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        JobResult result = worker ? worker->execute(job)
                                  : JobResult::fatal(job, "worker could not start: " + startError);
        {
            std::lock_guard lock(m_mutex);
            m_results.push_back(std::move(result));
        }
        m_resultsChanged.notify_all();
    }
}

void RunEngine::dispatch(Job job)
{
    job.sequence = m_nextSequence++;
    if (job.kind == Job::Kind::Expand) {
        ++m_pendingExpansions;
        job.childId = m_nextId++;
        job.seed = childSeed(m_config.settings.seed, job.childId);
        job.history = m_nodes;
    } else {
        m_evaluating.insert(job.node);
        m_budgets->evaluationStarted(static_cast<int>(job.tasks.size()));
    }
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_jobsChanged.notify_one();
}

void RunEngine::apply(JobResult result)
{
    if (result.job.kind == Job::Kind::Expand)
        --m_pendingExpansions;
    else {
        m_evaluating.erase(result.job.node);
        m_budgets->evaluationEnded(static_cast<int>(result.job.tasks.size()));
    }
    if (result.node)
        upsert(*result.node);
    for (const auto& event : result.events)
        emit(event);

    if (result.stopsTheRun()) {
        fail(result.kind == JobResult::Kind::InputError ? RunOutcome::Status::InputError
                                                        : RunOutcome::Status::Failed,
             result.message);
        return;
    }
    if (result.kind == JobResult::Kind::Cancelled || !result.node)
        return;
    const Node& node = *result.node;
    if (result.job.kind == Job::Kind::Expand) {
        const bool failed = result.kind == JobResult::Kind::ProposalFailed;
        m_consecutiveProposeFailures = failed ? m_consecutiveProposeFailures + 1 : 0;
        const int limit = m_config.settings.maxConsecutiveProposeFailures;
        if (limit > 0 && m_consecutiveProposeFailures >= limit)
            fail(RunOutcome::Status::InputError,
                 (m_config.agentSource / "clade.json").string() + ": field 'propose.command': the " +
                     "propose command failed " + std::to_string(limit) + " times in a row (last: " +
                     node.error + "); expected a command that changes the agent — see " +
                     (m_folder.artifacts(node.id) / "propose.log").string());
        return;
    }
    if (node.id == 0 && node.status != NodeStatus::Evaluated) {
        fail(RunOutcome::Status::InputError,
             "the root (the agent as given) could not be evaluated: " + node.error +
                 " — see " + (m_folder.artifacts(0) / "evaluate.log").string());
        return;
    }
    // A person may have tagged or starred it while it ran: decide on the stored flags.
    if (const auto stored = m_store->loadNode(node.id))
        upsert(*stored);
    const Node current = *std::find_if(m_nodes.begin(), m_nodes.end(),
                                       [&](const Node& n) { return n.id == node.id; });
    const GuardReport guards = checkGuards(m_config.manifest.guards, current, m_nodes);
    if (current.id == 0 && guards.failed()) {
        // Nothing could ever be built on a root that fails its guards: say so now.
        fail(RunOutcome::Status::InputError,
             (m_config.agentSource / "clade.json").string() +
                 ": field 'metrics.guards': the root (the agent as given) fails them: " +
                 guards.failures() + "; expected guards the agent as given passes");
        return;
    }
    m_holds->updateBlocked();
    const bool scoredChild = current.status == NodeStatus::Evaluated && current.id != 0;
    // A child that failed its guards is never kept, so there is no keep to hold for a person.
    if (scoredChild && !guards.failed() && m_holds->holdRiskyKeep(current))
        return;
    if (const auto flags = m_strategy->flagsAfterEvaluation(view(), current);
        flags && *flags != current.flags) {
        // The record says when a guard, not the score, decided.
        const std::string reason = guards.failed()
                                       ? m_strategy->name() + " keep rule: " +
                                             std::string(kFailedGuardsReason) + guards.failures()
                                       : m_strategy->name() + " keep rule";
        const RunEvent event = m_store->setFlags(current.id, *flags, reason);
        Node updated = current;
        updated.flags = *flags;
        upsert(updated);
        emit(event);
    }
}

void RunEngine::fillWorkers()
{
    if (m_stopRequested || m_finishedReason || m_paused)
        return;
    const int workers = std::max(1, m_config.settings.workers);
    const int busy = static_cast<int>(m_evaluating.size()) + m_pendingExpansions;
    for (int free = workers - busy; free > 0; --free) {
        if (const auto spent = m_budgets->spent(m_nodes)) {
            m_finishedReason = *spent;
            return;
        }
        Action action = m_strategy->next(view());
        if (action.kind == Action::Kind::Wait)
            return;
        if (action.kind == Action::Kind::Stop) {
            m_finishedReason = m_holds->finishOrWait(action.reason, m_budgets->timeLeft());
            return;
        }
        Job job;
        const bool expand = action.kind == Action::Kind::Expand;
        job.kind = expand ? Job::Kind::Expand : Job::Kind::Evaluate;
        job.node = expand ? m_holds->expansionParent(action.node) : action.node;
        job.tasks = std::move(action.tasks);
        dispatch(std::move(job));
    }
}

RunOutcome RunEngine::run()
{
    m_budgets->startSession();
    // Jobs of this run still queued now belong to an engine that was killed: their phases
    // were re-queued by crash recovery and run again here.
    if (auto left = cancelLeftoverJobs(m_config.settings.executor, m_folder.root,
                                       m_config.createdAt,
                                       "left by an engine that ended without cleaning up");
        !left.empty())
        emit(m_store->appendEvent(EventKind::JobsCancelled, -1,
                                  {{"jobs", left}, {"why", "left by an engine that was killed"}}));
    const int workers = std::max(1, m_config.settings.workers);
    for (int i = 0; i < workers; ++i)
        m_workers.emplace_back([this] { workerLoop(); });
    // In the run too, not only in this process's log: a window shows it to whoever looks.
    const SandboxSession sandbox = recordSandboxSession(*m_store, *m_sandbox);
    // Not a gap: the sandbox holds plain scratch folders to their limits by polling.
    if (std::string why; !m_scratch->limitsFolders(&why))
        spdlog::info("sandbox {}: {}; their bytes and inodes are polled (limits.scratch_mb, "
                     "limits.scratch_inodes)",
                     m_sandbox->name(), why);
    if (const std::string hint = sandboxSlowLaunchHint(); !hint.empty())
        spdlog::info("sandbox {}: {}", m_sandbox->name(), hint);
    emit(m_store->appendEvent(EventKind::RunStarted, -1,
                              {{"strategy", m_strategy->name()},
                               {"workers", workers},
                               {"iterations", m_config.settings.iterations},
                               {"max_task_evaluations", m_config.settings.maxTaskEvaluations},
                               {"sandbox", m_sandbox->name()},
                               {"executor", m_config.settings.executor.kind},
                               {"unenforced", sandbox.unenforced}}));

    auto lastSaved = std::chrono::steady_clock::now();
    m_holds->applyInbox(); // what people decided while no process owned the run
    fillWorkers();
    for (;;) {
        std::deque<JobResult> results;
        {
            std::unique_lock lock(m_mutex);
            const bool idle = m_evaluating.empty() && m_pendingExpansions == 0;
            if (m_results.empty() && !(idle && (m_stopRequested || m_finishedReason)))
                m_resultsChanged.wait_for(lock, std::chrono::milliseconds(200));
            results.swap(m_results);
        }
        for (auto& result : results)
            m_completed.emplace(result.job.sequence, std::move(result));
        // One result at a time, each followed by the strategy's decisions: the decisions
        // then never depend on how many results happened to arrive together.
        for (auto it = m_completed.find(m_nextToApply); it != m_completed.end();
             it = m_completed.find(m_nextToApply)) {
            JobResult result = std::move(it->second);
            m_completed.erase(it);
            ++m_nextToApply;
            apply(std::move(result));
            fillWorkers();
        }
        m_holds->applyInbox();
        fillWorkers(); // after a resume or a decision; a no-op when nothing changed

        if (std::chrono::steady_clock::now() - lastSaved > std::chrono::seconds(5)) {
            mergeSmallPacks(m_folder);
            m_store->setMeta("active_seconds", std::to_string(m_budgets->elapsedSeconds()));
            lastSaved = std::chrono::steady_clock::now();
        }
        const bool idle = m_evaluating.empty() && m_pendingExpansions == 0;
        if ((m_stopRequested || m_finishedReason) && idle)
            break;
    }

    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    m_jobsChanged.notify_all();
    for (auto& worker : m_workers)
        worker.join();
    m_workers.clear();
    // What this session's stop cancelled: the phases in flight, and anything still queued
    // besides the allocation it held, which is released, not cancelled work.
    const std::vector<std::string> released = m_sandbox->releaseHeld();
    std::vector<std::string> cancelled = m_sandbox->takeCancelledJobs();
    for (auto& job : cancelLeftoverJobs(m_config.settings.executor, m_folder.root,
                                        m_config.createdAt, "still queued as the session ended"))
        if (std::find(cancelled.begin(), cancelled.end(), job) == cancelled.end() &&
            std::find(released.begin(), released.end(), job) == released.end())
            cancelled.push_back(std::move(job)); // a job still completing is listed again
    if (!cancelled.empty())
        emit(m_store->appendEvent(EventKind::JobsCancelled, -1,
                                  {{"jobs", cancelled}, {"why", "the session ended"}}));
    awaitRunJobsGone(m_config.settings.executor, m_folder.root, m_config.createdAt, 60);
    mergeSmallPacks(m_folder);
    m_store->setMeta("active_seconds", std::to_string(m_budgets->elapsedSeconds()));

    RunOutcome outcome;
    if (m_failure)
        outcome = *m_failure;
    else if (m_finishedReason)
        outcome = {RunOutcome::Status::Finished, *m_finishedReason};
    else
        outcome = {RunOutcome::Status::Stopped, "stopped; `clade resume` continues the run"};
    emit(m_store->appendEvent(EventKind::RunStopped, -1,
                              {{"status", static_cast<int>(outcome.status)},
                               {"message", outcome.message}}));
    return outcome;
}

} // namespace clade::engine
