#include "engine/run/RunSummary.h"

#include "engine/review/Decisions.h"
#include "engine/run/RunFacts.h"
#include "engine/store/FindNode.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunLock.h"

namespace clade::engine {

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
    return {{"run", folder.string()},
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
            {"budget",
             {{"iterations", {{"used", nodes.empty() ? 0 : nodes.size() - 1}, {"total", s.iterations}}},
              {"minutes", {{"used", activeSeconds / 60}, {"total", s.maxMinutes}}},
              {"cost", {{"used", cost}, {"total", s.maxCost}}},
              {"task_evaluations", {{"used", taskEvaluations}, {"total", s.maxTaskEvaluations}}}}},
            {"running", ownerPid != 0},
            {"owner_pid", ownerPid},
            {"harness_sha256", config.harnessSha256}};
}

} // namespace clade::engine
