#include "engine/run/RunEngine.h"

#include "engine/eval/HarnessPin.h"
#include "engine/git/PackFolderRepair.h"
#include "engine/git/PackedWrites.h"
#include "engine/git/Repository.h"
#include "engine/review/DecisionApplier.h"
#include "engine/review/Decisions.h"
#include "engine/review/ProposalReview.h"
#include "engine/review/ReviewArtifact.h"
#include "engine/llm/LlmClient.h"
#include "engine/llm/Usage.h"
#include "engine/run/NodeReferences.h"
#include "engine/run/NodeWorker.h"
#include "engine/run/RunFacts.h"
#include "engine/run/SandboxSession.h"
#include "engine/sandbox/Sandbox.h"
#include "engine/sandbox/SandboxHost.h"
#include "engine/store/RunLock.h"
#include "engine/store/RunStore.h"
#include "engine/strategy/Strategy.h"
#include "engine/util/InputError.h"
#include "engine/util/ScratchSpace.h"

#include <spdlog/spdlog.h>

namespace clade::engine {
namespace fs = std::filesystem;

std::uint64_t childSeed(std::uint64_t runSeed, int childId)
{
    std::uint64_t z = runSeed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(childId);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (z ^ (z >> 31)) & 0x7FFFFFFFFFFFull; // fits every scripting language's integers
}

RunEngine::RunEngine(const fs::path& runDir, const Overrides& overrides)
    : m_folder{fs::absolute(runDir).lexically_normal()}
{
    m_folder.requireValid();
    m_lock = std::make_unique<RunLock>(m_folder.root);
    m_config = RunConfig::load(m_folder.root);
    bool changed = false;
    if (overrides.iterations && *overrides.iterations != m_config.settings.iterations) {
        m_config.settings.iterations = *overrides.iterations;
        changed = true;
    }
    if (overrides.workers && *overrides.workers != m_config.settings.workers) {
        m_config.settings.workers = *overrides.workers;
        changed = true;
    }
    if (overrides.maxMinutes && *overrides.maxMinutes != m_config.settings.maxMinutes) {
        m_config.settings.maxMinutes = *overrides.maxMinutes;
        changed = true;
    }
    if (overrides.maxCost && *overrides.maxCost != m_config.settings.maxCost) {
        m_config.settings.maxCost = *overrides.maxCost;
        changed = true;
    }
    if (overrides.maxTaskEvaluations &&
        *overrides.maxTaskEvaluations != m_config.settings.maxTaskEvaluations) {
        m_config.settings.maxTaskEvaluations = *overrides.maxTaskEvaluations;
        changed = true;
    }
    m_store = std::make_unique<RunStore>(m_folder.database());
    m_review = reviewPolicyFromString(m_config.settings.review,
                                      m_folder.runJson().string() + ": field 'review'");
    m_strategy = makeStrategy(m_config.settings.strategy, m_config.settings.strategyParams,
                              m_config.settings.seed);
    m_sandbox = makeSandbox(m_config.settings.sandbox);
    if (changed)
        m_config.save(m_folder.root);
    recover();
    openModel();
    stageHarness();
}

void RunEngine::openModel()
{
    const auto& s = m_config.settings;
    m_costBudget = std::make_unique<llm::CostBudget>(s.maxCost, totalCost(m_nodes));
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

void RunEngine::recover()
{
    ScratchSpace::sweepStale();
    sweepStaleSandboxState(); // cgroups of engines that died (kill -9, power loss)
    m_nodes = m_store->loadNodes();
    if (m_nodes.empty() || m_nodes.front().id != 0)
        throw InputError(m_folder.database().string() +
                         ": run has no root node (expected node 0, written when the run was "
                         "created); the run folder is damaged");
    m_nextId = m_nodes.back().id + 1;

    // An evaluation that was running when the last owner died is simply re-queued.
    for (auto& node : m_nodes)
        if (node.status == NodeStatus::Evaluating) {
            m_store->setStatus(node.id, NodeStatus::Proposed);
            m_store->appendEvent(EventKind::Requeued, node.id,
                                 {{"reason", "evaluation interrupted by a crash or kill"}});
            node.status = NodeStatus::Proposed;
            spdlog::warn("{}: node {} was being evaluated when the last session ended; re-queued",
                         m_folder.root.string(), node.id);
        }

    // A proposal in flight at the crash may have left artifacts or a ref with an id that
    // no row names; the id will be handed out again, so clear them.
    // A writer killed mid-update leaves git's `*.lock` files behind, which would refuse
    // every later update of that ref. We hold the owner lock, so no one else is writing.
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(m_folder.repo(), ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file() && it->path().extension() == ".lock")
            fs::remove(it->path(), ec);
    for (const auto& entry : fs::directory_iterator(m_folder.artifacts(), ec)) {
        const std::string name = entry.path().filename().string();
        const bool numeric = !name.empty() && name.find_first_not_of("0123456789") == std::string::npos;
        if (!numeric || std::stoi(name) >= m_nextId) {
            spdlog::warn("{}: removing artifacts of an unfinished proposal", entry.path().string());
            removeTree(entry.path());
        }
    }
    // A node's pack cut short by the crash, or an index that did not reach the disk.
    const git::PackFolderRepair packs = git::repairPackFolder(m_folder.repo());
    if (packs.rebuilt > 0)
        spdlog::warn("{}: rebuilt {} pack index(es) from their packs", m_folder.repo().string(),
                     packs.rebuilt);
    for (const auto& pack : packs.damaged)
        spdlog::error("{}: cannot read this pack; set aside as {}.damaged (git fsck lists what "
                      "is missing)", pack, pack);
    mergeSmallPacks();
    if (const int rewritten = repairNodeReferences(m_folder, m_nodes, m_nextId); rewritten > 0)
        spdlog::warn("{}: rewrote {} node reference(s) from the database", m_folder.root.string(),
                     rewritten);

    m_elapsedBefore = std::stod(m_store->meta("active_seconds").value_or("0"));

    m_personReverted = personRevertedNodes(*m_store);
    m_pin = loadPin(*m_store);
    updateBlocked();
}

// Every node's objects arrive as a pack of their own (git::PackedWriteScope); merged here
// every so often, since each lookup walks all packs. Workers may read meanwhile: libgit2
// skips a removed pack and finds the merged one on its rescan.
void RunEngine::mergeSmallPacks()
{
    try {
        auto repo = git::Repository::openBare(m_folder.repo());
        if (const int merged = git::consolidatePacks(repo.raw()); merged > 0)
            spdlog::debug("{}: merged {} packs", m_folder.repo().string(), merged);
    } catch (const std::exception& e) {
        // Only lookups get slower; nothing is lost.
        spdlog::warn("{}: could not merge packs: {}", m_folder.repo().string(), e.what());
    }
}

void RunEngine::updateBlocked()
{
    m_blocked = blockedNodes(m_nodes, m_personReverted);
}

ArchiveView RunEngine::view() const
{
    ArchiveView v{m_nodes, m_evaluating, m_pendingExpansions, expansionsAllowed(),
                  m_config.manifest.tasks, m_config.manifest.direction};
    v.blocked = &m_blocked;
    return v;
}

void RunEngine::applyInbox()
{
    const auto pending = m_store->pendingDecisions();
    if (pending.empty())
        return;
    DecisionApplier applier(m_folder, *m_store, [this] { return m_nextId++; });
    for (const auto& decision : pending) {
        const auto result = applier.apply(decision);
        spdlog::info("{}: decision by {}: {}", m_folder.root.string(), decision.who, result.outcome);
        for (int id : result.changedNodes)
            if (const auto node = m_store->loadNode(id))
                upsert(*node);
        if (result.applied && decision.action == DecisionAction::Revert)
            m_personReverted.insert(decision.nodeId);
        m_pin = loadPin(*m_store);
        updateBlocked();
        for (const auto& event : result.events)
            emit(event);
    }
    m_waitingForReview = false; // the strategy gets another look
}

bool RunEngine::holdScoreJump(const Node& node)
{
    const auto jump = detectScoreJump(node, m_nodes, m_config.manifest);
    if (!jump)
        return false;
    const bool hold = holdsKeep(m_review);
    addFinding(m_folder, node.id, m_review, *jump, hold);
    if (!hold)
        return false;
    const RunEvent event = m_store->setFlags(node.id, (node.flags & ~(FlagKept | FlagReverted)) | FlagHeld,
                                             "score jump held for review: " + jump->message);
    Node updated = node;
    updated.flags = (node.flags & ~(FlagKept | FlagReverted)) | FlagHeld;
    upsert(updated);
    updateBlocked();
    emit(event);
    return true;
}

int RunEngine::expansionParent(int proposed)
{
    if (!m_pin)
        return proposed;
    const int parent = m_pin->node;
    if (m_pin->remaining > 0 && --m_pin->remaining == 0) {
        // The last expansion of this pin: unpinned on the record, in the same breath.
        const Node* pinned = nullptr;
        for (const auto& node : m_nodes)
            if (node.id == parent)
                pinned = &node;
        m_store->removeMeta("pin");
        if (pinned) {
            const RunEvent event = m_store->setFlags(parent, pinned->flags & ~FlagPinned, "branch pin used up");
            Node updated = *pinned;
            updated.flags &= ~FlagPinned;
            upsert(updated);
            emit(event);
        }
        m_pin.reset();
    } else if (m_pin->remaining > 0) {
        m_store->setMeta("pin", pinMetaValue(m_pin));
    }
    return parent;
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

double RunEngine::elapsedSeconds() const
{
    return m_elapsedBefore +
           std::chrono::duration<double>(std::chrono::steady_clock::now() - m_sessionStart).count();
}

bool RunEngine::expansionsAllowed() const
{
    const auto& s = m_config.settings;
    const int children = static_cast<int>(m_nodes.size()) - 1 + m_pendingExpansions;
    if (children >= s.iterations)
        return false;
    if (s.maxMinutes > 0 && elapsedSeconds() >= s.maxMinutes * 60)
        return false;
    // A child proposed now could not be evaluated within the budget.
    return !taskBudgetSpent() && !costBudgetSpent();
}

int RunEngine::taskEvaluationsSpent() const
{
    // Counted from the nodes rather than a stored counter, so a resumed run picks up where
    // it was; an evaluation that failed without recording results costs nothing here (the
    // children budget still bounds a run of failures).
    int spent = m_tasksInFlight;
    for (const auto& node : m_nodes)
        spent += static_cast<int>(node.results.size());
    return spent;
}

bool RunEngine::costBudgetSpent() const
{
    return m_costBudget->limit() > 0 && !m_costBudget->allows();
}

bool RunEngine::taskBudgetSpent() const
{
    const int budget = m_config.settings.maxTaskEvaluations;
    return budget > 0 && taskEvaluationsSpent() >= budget;
}

RunProgress RunEngine::progress() const
{
    // The run's facts as every reader states them, then what only the driver knows.
    RunProgress p = storedProgress(m_nodes, m_config, m_personReverted, elapsedSeconds());
    p.queued = 0;
    for (const auto& node : m_nodes)
        p.queued += node.status == NodeStatus::Proposed && !m_evaluating.count(node.id);
    p.running = static_cast<int>(m_evaluating.size()) + m_pendingExpansions;
    p.taskEvaluations = taskEvaluationsSpent();
    p.costUsed = m_costBudget->spent();
    p.paused = m_paused;
    p.waitingForReview = m_waitingForReview;
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
            model.emplace(NodeWorker::Model{*m_llm, *m_costBudget, m_refusedInARow});
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
                                  : JobResult{job, JobResult::Kind::Fatal, {}, {}, false, false,
                                              "worker could not start: " + startError};
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
        m_tasksInFlight += static_cast<int>(job.tasks.size());
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
        m_tasksInFlight -= static_cast<int>(result.job.tasks.size());
    }
    if (result.node)
        upsert(*result.node);
    for (const auto& event : result.events)
        emit(event);

    if (result.kind == JobResult::Kind::Fatal) {
        fail(result.inputError ? RunOutcome::Status::InputError : RunOutcome::Status::Failed,
             result.message);
        return;
    }
    if (result.kind == JobResult::Kind::Cancelled || !result.node)
        return;
    const Node& node = *result.node;
    if (result.job.kind == Job::Kind::Expand) {
        m_consecutiveProposeFailures = result.proposalFailed ? m_consecutiveProposeFailures + 1 : 0;
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
    updateBlocked();
    if (current.status == NodeStatus::Evaluated && current.id != 0 && holdScoreJump(current))
        return;
    if (const auto flags = m_strategy->flagsAfterEvaluation(view(), current);
        flags && *flags != current.flags) {
        const RunEvent event = m_store->setFlags(current.id, *flags, m_strategy->name() + " keep rule");
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
        if (costBudgetSpent()) {
            // Model calls already in flight finish and are recorded; nothing new starts.
            m_finishedReason = m_costBudget->describe();
            return;
        }
        if (taskBudgetSpent()) {
            // Whatever the strategy would do next costs evaluations (or makes a child that
            // could not be evaluated); work in flight still finishes and is recorded.
            m_finishedReason = "task-evaluation budget spent (" +
                               std::to_string(taskEvaluationsSpent()) + " of " +
                               std::to_string(m_config.settings.maxTaskEvaluations) + ")";
            return;
        }
        Action action = m_strategy->next(view());
        if (action.kind == Action::Kind::Wait)
            return;
        if (action.kind == Action::Kind::Stop) {
            // Held work is not finished work: while a person may still approve something
            // and the time budget lasts, the run waits for them.
            const int held = countWaitingForReview(m_nodes);
            const bool timeLeft = m_config.settings.maxMinutes <= 0 ||
                                  elapsedSeconds() < m_config.settings.maxMinutes * 60;
            if (held > 0 && timeLeft) {
                if (!m_waitingForReview)
                    spdlog::warn("{}: {} ({}); waiting for review of {} node(s): clade review {}",
                                 m_folder.root.string(), action.reason, "nothing else to do",
                                 held, m_folder.root.string());
                m_waitingForReview = true;
                return;
            }
            m_finishedReason = held > 0 ? action.reason + "; " + std::to_string(held) +
                                              " node(s) still await review"
                                        : action.reason;
            return;
        }
        Job job;
        job.kind = action.kind == Action::Kind::Expand ? Job::Kind::Expand : Job::Kind::Evaluate;
        job.node = job.kind == Job::Kind::Expand ? expansionParent(action.node) : action.node;
        job.tasks = std::move(action.tasks);
        dispatch(std::move(job));
    }
}

RunOutcome RunEngine::run()
{
    m_sessionStart = std::chrono::steady_clock::now();
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
                               {"unenforced", sandbox.unenforced}}));

    auto lastSaved = std::chrono::steady_clock::now();
    applyInbox(); // what people decided while no process owned the run
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
        applyInbox();
        fillWorkers(); // after a resume or a decision; a no-op when nothing changed

        if (std::chrono::steady_clock::now() - lastSaved > std::chrono::seconds(5)) {
            mergeSmallPacks();
            m_store->setMeta("active_seconds", std::to_string(elapsedSeconds()));
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
    mergeSmallPacks();
    m_store->setMeta("active_seconds", std::to_string(elapsedSeconds()));

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
