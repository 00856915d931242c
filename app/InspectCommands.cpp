// clade status / show / export: read-only views of a run folder (safe while it runs).
#include "app/ExitCode.h"
#include "app/HeadlessPrinter.h"
#include "app/VerbParser.h"
#include "app/Verbs.h"
#include "engine/git/Repository.h"
#include "engine/run/RunExport.h"
#include "engine/executor/SlurmExecutor.h"
#include "engine/run/RunSummary.h"
#include "engine/store/RunFolder.h"
#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"

#include <algorithm>
#include <iterator>

namespace clade::app {

using engine::InputError;

namespace {

int nodeId(const engine::RunSnapshot& run, const QString& text)
{
    bool ok = false;
    const int id = text.toInt(&ok);
    if (!ok || !run.find(id))
        throw InputError(run.folder.string() + ": no node '" + text.toStdString() +
                         "' (expected a node id from 0 to " +
                         std::to_string(run.nodes.empty() ? 0 : run.nodes.back().id) + ")");
    return id;
}

// The formats `clade export` writes; the first is the default.
struct Exporter {
    const char* format;
    std::string (*write)(const engine::RunSnapshot&);
};
constexpr Exporter kExporters[] = {
    {"json", engine::exportJson}, {"csv", engine::exportCsv}, {"dot", engine::exportDot}};

QStringList exportFormats()
{
    QStringList formats;
    for (const auto& e : kExporters)
        formats << e.format;
    return formats;
}

// "guards   2 node(s) fail them (#3, #5); Pareto front #0, #2 over score, clade.cost_usd".
// Long lists are cut (`--json` has them whole): the line stays one line on a big run.
void printGuards(const nlohmann::json& status)
{
    const auto ids = [](const std::vector<int>& list) {
        constexpr std::size_t kShown = 8;
        std::string text;
        for (std::size_t i = 0; i < list.size() && i < kShown; ++i)
            text += (i ? ", #" : "#") + std::to_string(list[i]);
        if (list.size() > kShown)
            text += " and " + std::to_string(list.size() - kShown) + " more";
        return text.empty() ? std::string("(none)") : text;
    };
    std::vector<int> failing;
    for (const auto& entry : status["guard_failures"])
        failing.push_back(entry["node"].get<int>());
    std::string objectives;
    for (const auto& objective : status["pareto_front"]["objectives"])
        objectives += (objectives.empty() ? "" : ", ") + objective["name"].get<std::string>();
    std::printf("guards   %zu node(s) fail them%s; Pareto front %s over %s\n", failing.size(),
                failing.empty() ? "" : (" (" + ids(failing) + ")").c_str(),
                ids(status["pareto_front"]["nodes"].get<std::vector<int>>()).c_str(),
                objectives.c_str());
}

/// The run's jobs in the cluster's queue now, into status["cluster"]["jobs"] (null and
/// "jobs_error" when squeue cannot say).
void addLiveQueue(nlohmann::json& status)
{
    if (!status.contains("cluster"))
        return;
    try {
        const auto counts = engine::slurmQueueCounts(status["cluster"]["tag"].get<std::string>());
        status["cluster"]["jobs"] = {{"pending", counts.pending}, {"running", counts.running}};
    } catch (const std::exception& e) {
        status["cluster"]["jobs"] = nullptr;
        status["cluster"]["jobs_error"] = e.what();
    }
}

// "cluster  slurm, jobs named clade-1a2b3c4d5e6f: 2 running, 1 pending; 120 phases ran there
// (queue wait median 0.05 s, max 0.31 s); 1 lost job, its phase run again".
void printCluster(const nlohmann::json& c)
{
    std::string queue;
    if (c["jobs"].is_null())
        queue = "queue unknown (" + c.value("jobs_error", std::string()) + ")";
    else
        queue = std::to_string(c["jobs"]["running"].get<int>()) + " running, " +
                std::to_string(c["jobs"]["pending"].get<int>()) + " pending";
    const int lost = c["lost_attempts"].get<int>();
    std::printf("cluster  %s, jobs named %s: %s; %d phases ran there (queue wait median %.2f s, "
                "max %.2f s)%s\n",
                c["executor"].get<std::string>().c_str(), c["tag"].get<std::string>().c_str(),
                queue.c_str(), c["phases"].get<int>(), c["queue_wait_seconds"]["median"].get<double>(),
                c["queue_wait_seconds"]["max"].get<double>(),
                lost == 0 ? ""
                          : ("; " + std::to_string(lost) + " lost job" + (lost == 1 ? "" : "s") +
                             ", each phase run again")
                                .c_str());
}

void printStatus(const engine::RunSnapshot& run)
{
    auto j = run.statusJson();
    addLiveQueue(j);
    std::printf("run      %s\n", run.folder.c_str());
    // The explorer's banner says the same words (engine/run/SandboxWarning.h).
    const engine::SandboxWarning sandbox = run.sandboxWarning();
    std::printf("agent    %s   strategy %s   sandbox %s%s\n", run.config.manifest.name.c_str(),
                run.config.settings.strategy.c_str(), run.config.settings.sandbox.c_str(),
                sandbox.any() ? ("  [" + sandbox.tag + "]").c_str() : "");
    if (sandbox.any()) {
        std::printf("warning  %s\n", sandbox.headline.c_str());
        for (const auto& limit : sandbox.unenforced)
            std::printf("         - %s\n", limit.c_str());
    }
    std::printf("state    %s\n", run.ownerPid ? ("running (pid " + std::to_string(run.ownerPid) + ")").c_str()
                                              : "not running");
    std::printf("nodes    %zu:", run.nodes.size());
    for (const auto& [status, count] : j["counts"].items())
        if (count.get<int>() > 0)
            std::printf(" %s %d", status.c_str(), count.get<int>());
    std::printf("\n");
    const auto* root = run.find(0);
    const auto* best = run.best();
    std::printf("root     #0 %s\n", formatScore(root ? root->score : std::nullopt).c_str());
    if (best)
        std::printf("best     #%d %s  %s\n", best->id, formatScore(best->score).c_str(),
                    best->description.c_str());
    if (!run.config.manifest.guards.empty())
        printGuards(j);
    if (j.contains("cluster"))
        printCluster(j["cluster"]);
    std::printf("budget   %zu/%d children, %s active%s\n", run.nodes.size() - 1,
                run.config.settings.iterations, formatDuration(run.activeSeconds).c_str(),
                run.config.settings.maxMinutes > 0
                    ? (" of " + formatDuration(run.config.settings.maxMinutes * 60)).c_str()
                    : "");
    if (run.config.settings.maxTaskEvaluations > 0)
        std::printf("         %d/%d task evaluations\n", j["budget"]["task_evaluations"]["used"].get<int>(),
                    run.config.settings.maxTaskEvaluations);
    const double cost = j["budget"]["cost"]["used"].get<double>();
    if (run.config.settings.maxCost > 0)
        std::printf("         $%.4f of $%.2f on model calls\n", cost, run.config.settings.maxCost);
    else if (cost > 0)
        std::printf("         $%.4f on model calls\n", cost);
    if (const auto& llm = run.config.settings.llm)
        std::printf("model    %s (%s at %s, key from %s)\n", llm->model.c_str(),
                    llm::providerName(llm->provider), llm->effectiveBaseUrl().c_str(),
                    llm->keyEnv.empty() ? "no key" : ("$" + llm->keyEnv).c_str());
}

void printNode(const engine::RunSnapshot& run, const engine::Node& n)
{
    std::string parents;
    for (int p : n.parents)
        parents += (parents.empty() ? "#" : ", #") + std::to_string(p);
    std::string flags;
    for (const auto& f : engine::flagNames(n.flags))
        flags += (flags.empty() ? "" : ", ") + f;
    std::printf("node        #%d\n", n.id);
    std::printf("parents     %s\n", parents.empty() ? "(root)" : parents.c_str());
    std::printf("status      %s%s%s\n", engine::toString(n.status).c_str(),
                flags.empty() ? "" : "  ", flags.c_str());
    std::printf("score       %s (%s, %zu task(s))\n", formatScore(n.score).c_str(),
                run.config.manifest.primaryMetric.c_str(), n.results.size());
    std::printf("change      %s\n", n.description.c_str());
    std::printf("diff        %d file(s), +%d -%d\n", n.diff.files, n.diff.insertions, n.diff.deletions);
    std::printf("commit      %s\n", n.commit.empty() ? "(none)" : n.commit.c_str());
    std::printf("proposer    %s%s\n", n.proposer.kind.c_str(),
                n.proposer.model.empty() ? "" : (" " + n.proposer.model).c_str());
    std::printf("created     %s  (propose %.2f s, evaluate %.2f s)\n",
                formatTime(n.createdAt).c_str(), n.proposeSeconds, n.evaluateSeconds);
    if (!n.error.empty())
        std::printf("error       %s\n", n.error.c_str());
    if (!n.results.empty()) {
        std::printf("results    ");
        for (const auto& [task, score] : n.results)
            std::printf(" %s=%.4f", task.c_str(), score);
        std::printf("\n");
    }
    if (!n.metrics.empty()) {
        std::printf("metrics    ");
        for (const auto& [name, value] : n.metrics)
            std::printf(" %s=%.4g", name.c_str(), value);
        std::printf("\n");
    }
    if (const auto placed = run.cluster.byNode.find(n.id); placed != run.cluster.byNode.end())
        for (const engine::PlacedPhase& phase : placed->second)
            std::printf("%-11s %s\n", phase.phase.c_str(), phase.where.describe().c_str());
    const auto artifacts = engine::RunFolder{run.folder}.artifacts(n.id);
    std::printf("logs        %s\n", artifacts.c_str());
}

} // namespace

void declareStatus(VerbSpec& s)
{
    s.description = "Counts by status, best node, budget used.";
    s.addPositional(ValueSpec::dir("RUN"), "Run folder.");
    s.addOption("json", "Machine-readable output.");
}

int showStatus(const VerbParser& p)
{
    const auto run = engine::RunSnapshot::read(p.requirePositional(0, "RUN (a run folder)").toStdString());
    if (p.isSet("json")) {
        auto status = run.statusJson();
        addLiveQueue(status);
        std::printf("%s\n", status.dump(2).c_str());
    }
    else
        printStatus(run);
    return ExitDone;
}

void declareShow(VerbSpec& s)
{
    s.description = "One node's fields, results and (with --diff) its change.";
    s.addPositional(ValueSpec::dir("RUN"), "Run folder.");
    s.addPositional("NODE", "Node id.");
    s.addPositional("OTHER", "With --diff: compare against this node instead of the parent.",
                    "[OTHER]");
    s.addOption("diff", "Print the unified diff against the parent (or OTHER).");
    s.addOption("json", "Machine-readable output (every field, decisions included).");
}

int showNode(const VerbParser& p)
{
    const auto run = engine::RunSnapshot::read(p.requirePositional(0, "RUN (a run folder)").toStdString());
    const auto& node = *run.find(nodeId(run, p.requirePositional(1, "NODE (a node id)")));
    if (p.positional().size() > 2 && !p.isSet("diff"))
        throw InputError("unexpected argument '" + p.positional().at(2).toStdString() +
                         "' (OTHER is only used with --diff)");

    std::optional<std::string> patch;
    if (p.isSet("diff")) {
        const engine::Node* other = p.positional().size() > 2
                                        ? run.find(nodeId(run, p.positional().at(2)))
                                        : run.find(node.primaryParent());
        if (node.commit.empty())
            throw InputError("node #" + std::to_string(node.id) + " has no code (its proposal failed)");
        if (other && other->commit.empty())
            throw InputError("node #" + std::to_string(other->id) + " has no code (its proposal failed)");
        auto repo = git::Repository::openBare(engine::RunFolder{run.folder}.repo());
        patch = repo.diffPatch(other ? git::Oid::fromHex(other->commit) : git::Oid(),
                               git::Oid::fromHex(node.commit));
    }
    if (p.isSet("json")) {
        auto j = engine::nodeDetailJson(run, node);
        if (patch)
            j["diff_patch"] = *patch;
        std::printf("%s\n", j.dump(2).c_str());
        return ExitDone;
    }
    printNode(run, node);
    if (patch)
        std::printf("\n%s", patch->c_str());
    return ExitDone;
}

void declareExport(VerbSpec& s)
{
    s.description = "The whole run as JSON, CSV (one row per node) or Graphviz dot.";
    s.addPositional(ValueSpec::dir("RUN"), "Run folder.");
    s.addOption("format", spokenList(exportFormats()) + ".", ValueSpec::oneOf("FORMAT", exportFormats()));
    s.addOption("out", "Write to FILE instead of standard output.", ValueSpec::file("FILE"));
}

int exportRun(const VerbParser& p)
{
    const auto run = engine::RunSnapshot::read(p.requirePositional(0, "RUN (a run folder)").toStdString());
    const QString format = p.isSet("format") ? p.value("format") : kExporters[0].format;
    const auto exporter = std::find_if(std::begin(kExporters), std::end(kExporters),
                                       [&](const Exporter& e) { return format == e.format; });
    if (exporter == std::end(kExporters))
        throw InputError("--format: expected " + spokenList(exportFormats()).toStdString() +
                         ", got '" + format.toStdString() + "'");
    const std::string text = exporter->write(run);
    if (p.isSet("out"))
        engine::writeFileAtomically(p.value("out").toStdString(), text);
    else
        std::fwrite(text.data(), 1, text.size(), stdout);
    return ExitDone;
}

} // namespace clade::app
