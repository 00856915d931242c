#include "engine/run/NodeWorker.h"

#include "engine/eval/EngineMetrics.h"
#include "engine/executor/PlacementRecord.h"
#include "engine/review/ChangeSet.h"
#include "engine/review/ProposalReview.h"
#include "engine/review/ReviewArtifact.h"
#include "engine/run/MeanScore.h"
#include "engine/util/AtomicFile.h"
#include "engine/llm/LlmError.h"
#include "engine/util/InputError.h"
#include "engine/util/Utf8Text.h"

#include <fstream>

namespace clade::engine {
namespace fs = std::filesystem;

NodeWorker::NodeWorker(const RunFolder& folder, const RunConfig& config, Sandbox& sandbox,
                       ScratchSpace& scratch, const fs::path& stagedHarness,
                       const std::atomic<bool>& cancel, const Model* model)
    : m_folder(folder), m_config(config),
      m_review(reviewPolicyFromString(config.settings.review,
                                      folder.runJson().string() + ": field 'review'")),
      m_repo(git::Repository::openBare(folder.repo())),
      m_store(folder.database()), m_proposer(config.manifest, sandbox, scratch),
      m_evaluator(config.manifest, sandbox, scratch, stagedHarness, config.harnessSha256),
      m_cancel(cancel)
{
    m_evaluator.setHarnessSource(config.harnessSource.string());
    if (model) {
        m_gateway.emplace(model->client, model->budget, scratch, &cancel);
        if (config.settings.proposer == "llm")
            m_llmProposer.emplace(config.manifest, PromptTemplates::load(folder.prompts()),
                                  model->client, model->budget, model->refusedInARow,
                                  LlmProposer::Options{config.settings.answerRetries,
                                                       config.settings.reflexionRounds});
    }
}

JobResult NodeWorker::execute(const Job& job) noexcept
{
    try {
        return job.kind == Job::Kind::Expand ? expand(job) : evaluate(job);
    } catch (const llm::LlmError& e) {
        // Only fatal model errors get here (a bad key, an unknown model): a person must fix
        // the configuration, so the run stops with the provider's reason.
        return JobResult::inputError(job, std::string("the model cannot be used: ") + e.what());
    } catch (const InputError& e) {
        return JobResult::inputError(job, e.what());
    } catch (const std::exception& e) {
        // Infrastructure trouble (git, disk, database) on one node: record it on the node
        // when there is one, so the run can go on and the reason stays visible.
        std::vector<RunEvent> events;
        if (job.kind == Job::Kind::Evaluate) {
            try {
                events.push_back(m_store.setStatus(job.node, NodeStatus::Failed, e.what()));
                std::optional<Node> failed = m_store.loadNode(job.node);
                return JobResult::done(job, std::move(failed), std::move(events));
            } catch (...) {
            }
        }
        return JobResult::fatal(job, e.what(), std::nullopt, std::move(events));
    } catch (...) {
        return JobResult::fatal(job, "unknown error");
    }
}

std::string NodeWorker::readArtifact(int nodeId, const std::string& name, size_t maxBytes) const
{
    std::ifstream in(m_folder.artifacts(nodeId) / name, std::ios::binary | std::ios::ate);
    if (!in)
        return {};
    const auto size = static_cast<size_t>(in.tellg());
    const size_t start = size > maxBytes ? size - maxBytes : 0;
    in.seekg(static_cast<std::streamoff>(start));
    std::string text(size - start, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    // Read from the middle (the last maxBytes): what is left of a character cut there goes,
    // so the parent's log handed to a proposer does not start with broken bytes.
    if (start > 0)
        text.erase(0, leadingContinuationBytes(text));
    return text;
}

ProposalOutcome NodeWorker::propose(const Job& job, const Node& parent, const fs::path& artifacts)
{
    std::string parentLog = readArtifact(parent.id, "evaluate.log", 64 << 10);
    if (m_llmProposer)
        return m_llmProposer->propose(m_repo, {parent, job.childId, job.history, std::move(parentLog)},
                                      &m_cancel);
    ProposalOutcome outcome = m_proposer.propose(
        m_repo,
        {parent, job.childId, job.seed, job.history, std::move(parentLog),
         artifacts / "propose.log", m_gateway ? &*m_gateway : nullptr},
        &m_cancel);
    if (m_gateway) {
        if (const auto refused = m_gateway->takeConfigurationError())
            throw llm::LlmError(llm::LlmError::Kind::Fatal, *refused); // stops the run
        outcome.usage.add(m_gateway->takeUsage());
        if (const std::string calls = m_gateway->takeLog(); !calls.empty())
            outcome.log += "=== model calls through the gateway\n" + calls;
    }
    return outcome;
}

void NodeWorker::recordUsage(Node& node, const llm::UsageTotals& usage, const std::string& phase,
                             const std::string& gatewayLog)
{
    if (usage.calls == 0 && gatewayLog.empty())
        return;
    node.proposer.tokensIn += usage.inputTokens;
    node.proposer.tokensOut += usage.outputTokens;
    node.proposer.cost += usage.costUsd;
    if (!usage.model.empty())
        node.proposer.model = usage.model;
    const fs::path artifacts = m_folder.artifacts(node.id);
    auto record = nlohmann::json::parse(readArtifact(node.id, "usage.json", 1 << 20), nullptr, false);
    if (!record.is_object())
        record = nlohmann::json::object();
    llm::UsageTotals total =
        llm::UsageTotals::fromJson(record.value(phase, nlohmann::json::object()));
    total.add(usage);
    record[phase] = total.toJson();
    writeFileAtomically(artifacts / "usage.json", record.dump(2) + "\n", false);
    if (!gatewayLog.empty()) {
        const std::string earlier = readArtifact(node.id, "gateway.log", 16 << 20);
        writeFileAtomically(artifacts / "gateway.log", earlier + gatewayLog, false);
    }
}

JobResult NodeWorker::expand(const Job& job)
{
    const Node* parent = nullptr;
    for (const auto& node : job.history)
        if (node.id == job.node)
            parent = &node;
    if (!parent)
        throw std::logic_error("expand: parent " + std::to_string(job.node) + " not in history");

    // The child's folder exists before it is proposed, so its propose log can be followed
    // live; the atomic propose.log written below replaces what streamed in.
    const fs::path artifacts = m_folder.artifacts(job.childId);
    fs::create_directories(artifacts);
    // Left by a proposal cancelled (or cut by a crash) in an earlier session: this child
    // id is proposed afresh.
    for (const char* stale : {"propose.log", "prompt.md", "response.md", "usage.json", "gateway.log"})
        fs::remove(artifacts / stale);
    const ProposalOutcome outcome = propose(job, *parent, artifacts);
    if (outcome.kind == ProposalOutcome::Kind::Cancelled)
        return JobResult::cancelled(job);

    writeFileAtomically(artifacts / "propose.log", outcome.log, /*syncFolder=*/false);
    if (!outcome.prompt.empty())
        writeFileAtomically(artifacts / "prompt.md", outcome.prompt, false);
    if (!outcome.response.empty())
        writeFileAtomically(artifacts / "response.md", outcome.response, false);

    Node child;
    child.id = job.childId;
    child.parents = {parent->id};
    child.description = outcome.description;
    child.proposer.kind = m_config.settings.proposer;
    recordUsage(child, outcome.usage, "propose", {});
    syncDirectory(artifacts);
    syncDirectory(m_folder.artifacts()); // the node's folder itself is new
    child.proposeSeconds = outcome.seconds;
    child.createdAt = child.updatedAt = unixNow();
    const bool proposed = outcome.kind == ProposalOutcome::Kind::Proposed;
    if (proposed) {
        const auto commit = git::Oid::fromHex(outcome.commit);
        // Not synced: the database row below is the durable record (CrashRecovery rewrites it).
        m_repo.setDerivedReference(RunFolder::nodeRef(child.id), commit);
        child.commit = outcome.commit;
        child.diff = outcome.diff;
        // The risk review, before anything of the proposal runs: a held proposal waits in
        // awaiting_approval and the strategy never evaluates it until a person approves.
        std::vector<Finding> findings = reviewProposal(
            changeSetBetween(m_repo, git::Oid::fromHex(parent->commit), commit), m_config.manifest);
        child.metrics[std::string(kRiskFindings)] = static_cast<double>(findings.size());
        const bool hold = holdsProposal(m_review, findings);
        if (hold && findings.empty())
            findings.push_back({"policy", {}, 0, "the run's review policy is ask-always: every proposal waits for a person", {}});
        writeReview(m_folder, child.id, m_review, findings, hold);
        child.status = hold ? NodeStatus::AwaitingApproval : NodeStatus::Proposed;
    } else {
        child.status = NodeStatus::Failed;
        child.error = outcome.error;
    }
    std::vector<RunEvent> events{m_store.insertNode(child)};
    recordPlacements(child.id, outcome.placements, events);
    std::optional<Node> stored = m_store.loadNode(child.id);
    return proposed ? JobResult::done(job, std::move(stored), std::move(events))
                    : JobResult::proposalFailed(job, std::move(stored), std::move(events));
}

void NodeWorker::recordPlacements(int nodeId, const std::vector<PlacedPhase>& placements,
                                  std::vector<RunEvent>& events)
{
    for (const PlacedPhase& placed : placements)
        events.push_back(m_store.appendEvent(EventKind::PhasePlaced, nodeId, placementJson(placed)));
}

JobResult NodeWorker::evaluate(const Job& job)
{
    auto node = m_store.loadNode(job.node);
    if (!node)
        throw std::logic_error("evaluate: no node " + std::to_string(job.node));
    std::vector<RunEvent> events{m_store.markEvaluating(node->id)};

    const fs::path liveLogs = m_folder.artifacts(node->id);
    fs::create_directories(liveLogs);
    const EvaluationOutcome outcome =
        m_evaluator.evaluate(m_repo, git::Oid::fromHex(node->commit), job.tasks, &m_cancel,
                             liveLogs, m_gateway ? &*m_gateway : nullptr);
    const llm::UsageTotals usage = m_gateway ? m_gateway->takeUsage() : llm::UsageTotals{};
    const std::string gatewayLog = m_gateway ? m_gateway->takeLog() : std::string();
    const auto refused = m_gateway ? m_gateway->takeConfigurationError() : std::nullopt;
    if (refused) {
        // Every call of this evaluation failed for a reason no candidate caused (a bad key,
        // an unknown model): it is not the node's score. Re-queue it and stop the run.
        events.push_back(m_store.setStatus(node->id, NodeStatus::Proposed));
        events.push_back(m_store.appendEvent(EventKind::Requeued, node->id,
                                             {{"reason", "the model refused the run's key or model"}}));
        return JobResult::inputError(job, "the model cannot be used: " + *refused,
                                     m_store.loadNode(node->id), std::move(events));
    }
    if (outcome.kind == EvaluationOutcome::Kind::Cancelled) {
        // Nothing of this evaluation is kept; the node goes back to the queue.
        events.push_back(m_store.setStatus(node->id, NodeStatus::Proposed));
        events.push_back(m_store.appendEvent(EventKind::Requeued, node->id,
                                             {{"reason", "evaluation cancelled"}}));
        return JobResult::cancelled(job, m_store.loadNode(node->id), std::move(events));
    }

    const fs::path artifacts = m_folder.artifacts(node->id);
    fs::create_directories(artifacts);
    // Appending keeps the logs of earlier batches/stages of the same node.
    std::string log = readArtifact(node->id, "evaluate.log", 16 << 20);
    writeFileAtomically(artifacts / "evaluate.log", log + outcome.log, /*syncFolder=*/false);
    recordPlacements(node->id, outcome.placements, events);
    Node updated = *node;
    recordUsage(updated, usage, "evaluate", gatewayLog);

    if (outcome.kind == EvaluationOutcome::Kind::HarnessBroken) {
        // Keep what happened on the node, then stop the run: no candidate caused this.
        syncDirectory(artifacts);
        events.push_back(m_store.setStatus(node->id, NodeStatus::Failed, outcome.error));
        return JobResult::inputError(job, outcome.error, m_store.loadNode(node->id),
                                     std::move(events));
    }

    std::size_t earlierTasks = 0; // results this call does not score again
    for (const auto& [task, score] : updated.results)
        earlierTasks += outcome.results.count(task) == 0;
    mergeMeasuredMetrics(updated.metrics, outcome.metrics, earlierTasks);
    for (const auto& [task, score] : outcome.results)
        updated.results[task] = score;
    updated.evaluateSeconds += outcome.seconds;
    updated.error = outcome.error;
    if (outcome.kind == EvaluationOutcome::Kind::CandidateFailed) {
        updated.status = NodeStatus::Failed;
    } else {
        updated.status = NodeStatus::Evaluated;
        updated.score = meanScore(updated.results);
    }
    nlohmann::json metricsJson{{"results", updated.results},
                               {"metrics", updated.metrics},
                               {"score", updated.score ? nlohmann::json(*updated.score) : nullptr}};
    writeFileAtomically(artifacts / "metrics.json", metricsJson.dump(2) + "\n", false);
    syncDirectory(artifacts); // both files durable before the row that names them
    events.push_back(m_store.recordEvaluation(updated));
    return JobResult::done(job, m_store.loadNode(node->id), std::move(events));
}

} // namespace clade::engine
