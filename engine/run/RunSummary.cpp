#include "engine/run/RunSummary.h"

#include "engine/eval/GuardCheck.h"
#include "engine/eval/ParetoFront.h"
#include "engine/executor/SlurmExecutor.h"
#include "engine/review/Decisions.h"
#include "engine/run/RunFacts.h"
#include "engine/store/FindNode.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunLock.h"

namespace clade::engine {

namespace {

nlohmann::json optionalNumber(const std::optional<double>& value)
{
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

const char* verdictName(GuardOutcome::Verdict verdict)
{
    switch (verdict) {
    case GuardOutcome::Verdict::Passed:
        return "passed";
    case GuardOutcome::Verdict::Pending:
        return "pending";
    case GuardOutcome::Verdict::Missing:
        return "missing";
    case GuardOutcome::Verdict::PastLimit:
        return "past_limit";
    case GuardOutcome::Verdict::Regressed:
        return "regressed";
    }
    return "pending";
}

nlohmann::json guardsJson(const std::vector<GuardMetric>& guards)
{
    nlohmann::json list = nlohmann::json::array();
    for (const GuardMetric& guard : guards)
        list.push_back({{"name", guard.name},
                        {"direction", directionName(guard.direction)},
                        {"limit", optionalNumber(guard.limit)},
                        {"max_regression", optionalNumber(guard.maxRegression)}});
    return list;
}

// The guard rule (checkGuards) over every evaluated node: the failures, and the nodes that
// pass, which are the only ones the Pareto front is taken over.
struct GuardStatus {
    nlohmann::json failures = nlohmann::json::array();
    std::vector<Node> passing;
};

GuardStatus guardStatus(const std::vector<GuardMetric>& guards, const std::vector<Node>& nodes)
{
    GuardStatus status;
    const GuardChecker checker(guards, nodes);
    for (const Node& node : nodes) {
        if (node.status != NodeStatus::Evaluated)
            continue;
        const GuardReport report = checker.check(node);
        if (!report.failed()) {
            if (report.passed())
                status.passing.push_back(node);
            continue;
        }
        nlohmann::json failed = nlohmann::json::array();
        for (const GuardOutcome& outcome : report.guards) {
            if (!outcome.failed())
                continue;
            failed.push_back(
                {{"metric", outcome.guard.name},
                 {"value", optionalNumber(outcome.value)},
                 {"limit", optionalNumber(outcome.guard.limit)},
                 {"reference_node",
                  outcome.referenceNode >= 0 ? nlohmann::json(outcome.referenceNode) : nullptr},
                 {"reference", optionalNumber(outcome.reference)},
                 {"verdict", verdictName(outcome.verdict)},
                 {"explanation", outcome.explanation()}});
        }
        status.failures.push_back({{"node", node.id}, {"failures", std::move(failed)}});
    }
    return status;
}

nlohmann::json paretoFrontJson(const Manifest& manifest, const std::vector<Node>& passing)
{
    const std::vector<Objective> objectives = runObjectives(manifest);
    nlohmann::json axes = nlohmann::json::array();
    for (const Objective& objective : objectives)
        axes.push_back({{"name", objective.name},
                        {"direction", directionName(objective.direction)},
                        {"primary", objective.primary}});
    return {{"objectives", std::move(axes)},
            {"among", "evaluated nodes that pass their guards"},
            {"nodes", paretoFront(passing, objectives)}};
}

} // namespace

RunSnapshot RunSnapshot::read(const std::filesystem::path& folder)
{
    RunSnapshot s;
    s.folder = std::filesystem::absolute(folder).lexically_normal();
    const RunFolder run{s.folder};
    run.requireValid();
    s.config = RunConfig::load(s.folder);
    RunStore store(run.database(), Database::Mode::ReadOnly);
    s.nodes = store.loadNodes();
    s.countsByStatus = store.countsByStatus();
    s.personReverted = personRevertedNodes(store);
    s.activeSeconds = std::stod(store.meta("active_seconds").value_or("0"));
    s.sandboxSession = readSandboxSession(store);
    s.ownerPid = RunLock::ownerPid(s.folder);
    if (!s.config.settings.executor.isLocal())
        s.cluster = summarizePlacements(store.eventsOfKind(EventKind::PhasePlaced));
    return s;
}

const Node* RunSnapshot::find(int id) const
{
    return findNode(nodes, id);
}

const Node* RunSnapshot::best() const
{
    const auto id = runBest(nodes, config, personReverted);
    return id ? find(*id) : nullptr;
}

SandboxWarning RunSnapshot::sandboxWarning() const
{
    return engine::sandboxWarning(config.settings.sandbox, sandboxSession);
}

nlohmann::json RunSnapshot::clusterJson() const
{
    nlohmann::json byNode = nlohmann::json::object();
    for (const auto& [id, phases] : cluster.byNode) {
        auto& list = byNode[std::to_string(id)] = nlohmann::json::array();
        for (const PlacedPhase& placed : phases)
            list.push_back(placementJson(placed));
    }
    return {{"executor", config.settings.executor.kind},
            {"tag", slurmRunTag(folder, config.createdAt)},
            {"phases", cluster.phases},
            {"lost_attempts", cluster.lostAttempts},
            {"queue_wait_seconds",
             {{"median", cluster.medianQueueSeconds}, {"max", cluster.maxQueueSeconds}}},
            {"nodes", byNode}};
}

nlohmann::json RunSnapshot::statusJson() const
{
    auto brief = [](const Node* node) -> nlohmann::json {
        if (!node)
            return nullptr;
        return {{"id", node->id},
                {"score", node->score ? nlohmann::json(*node->score) : nullptr},
                {"description", node->description}};
    };
    int evaluated = 0;
    double cost = 0;
    std::size_t taskEvaluations = 0;
    for (const auto& node : nodes) {
        evaluated += node.status == NodeStatus::Evaluated;
        cost += node.proposer.cost;
        taskEvaluations += node.results.size();
    }
    nlohmann::json counts = nlohmann::json::object();
    for (const char* status : {"proposed", "awaiting_approval", "evaluating", "evaluated",
                               "failed", "rejected"})
        counts[status] = countsByStatus.count(status) ? countsByStatus.at(status) : 0;
    const auto& s = config.settings;
    const SandboxWarning sandbox = sandboxWarning();
    GuardStatus guards = guardStatus(config.manifest.guards, nodes);
    nlohmann::json status = {{"run", folder.string()},
            {"name", config.name},
            {"agent", config.manifest.name},
            {"strategy", s.strategy},
            {"sandbox", s.sandbox},
            {"sandbox_unsafe", sandbox.unsafe},
            {"sandbox_unenforced", sandbox.unenforced},
            {"sandbox_host", sandbox.host},
            {"sandbox_warning", sandbox.headline},
            {"nodes", nodes.size()},
            {"children", nodes.empty() ? 0 : nodes.size() - 1},
            {"counts", counts},
            {"evaluated", evaluated},
            {"root", brief(find(0))},
            {"best", brief(best())},
            {"primary_metric", config.manifest.primaryMetric},
            {"direction",
             config.manifest.direction == Direction::Maximize ? "maximize" : "minimize"},
            {"guards", guardsJson(config.manifest.guards)},
            {"guard_failures", std::move(guards.failures)},
            {"pareto_front", paretoFrontJson(config.manifest, guards.passing)},
            {"budget",
             {{"iterations", {{"used", nodes.empty() ? 0 : nodes.size() - 1}, {"total", s.iterations}}},
              {"minutes", {{"used", activeSeconds / 60}, {"total", s.maxMinutes}}},
              {"cost", {{"used", cost}, {"total", s.maxCost}}},
              {"task_evaluations", {{"used", taskEvaluations}, {"total", s.maxTaskEvaluations}}}}},
            {"running", ownerPid != 0},
            {"owner_pid", ownerPid},
            {"harness_sha256", config.harnessSha256},
            {"executor", s.executor.kind}};
    if (!s.executor.isLocal())
        status["cluster"] = clusterJson();
    return status;
}

} // namespace clade::engine
