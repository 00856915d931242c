// clade demo / run / resume.
#include "app/ExitCode.h"
#include "app/GuiLauncher.h"
#include "app/OptionChoices.h"
#include "app/RunDriver.h"
#include "app/VerbParser.h"
#include "app/Verbs.h"
#include "engine/strategy/StrategyParams.h"
#include "engine/run/ExampleCatalog.h"
#include "engine/run/RunCreator.h"
#include "engine/run/RunSummary.h"
#include "engine/util/ScratchSpace.h"
#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"
#include "models/RunSession.h"
#include "ui/MainWindow.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QThread>

#include <cstdlib>

#include <nlohmann/json.hpp>

namespace clade::app {

namespace fs = std::filesystem;
using engine::InputError;

namespace {

void addRunOptions(VerbSpec& s)
{
    s.addOption("out", "Run folder to create (default: ~/.local/share/clade/runs/NAME-TIME).",
                ValueSpec::dir("DIR"));
    s.addOption("strategy", "Search strategy: " + spokenList(strategyChoices()) + " (default sica).",
                ValueSpec::oneOf("NAME", strategyChoices()));
    s.addOption("proposer", "How children are proposed: " + spokenList(proposerChoices()) +
                                " (default command).",
                ValueSpec::oneOf("KIND", proposerChoices()));
    s.addOption("iterations", "Children to propose (default 40).", "N");
    s.addOption("max-minutes", "Time budget in minutes (default none).", "M");
    s.addOption("max-evaluations", "Budget of per-task evaluations (default none): no new work "
                                   "starts once spent; work in flight finishes.", "N");
    s.addOption("workers", "Worker threads (default 2, or 1 on a one-core machine).", "K");
    s.addOption("seed", "Random seed (default 1).", "S");
    s.addOption("sandbox", "Sandbox backend: " + spokenList(sandboxChoices()) + " (default bwrap).",
                ValueSpec::oneOf("NAME", sandboxChoices()));
    s.addOption("executor", "Where phases run: local (this host) or slurm (a Slurm cluster's "
                            "compute nodes, each phase a job started with srun; default local).",
                ValueSpec::oneOf("NAME", {"local", "slurm"}));
    s.addOption("executor-config", "JSON file with the executor's settings: {\"kind\": "
                                   "\"slurm\", \"slurm\": {\"partition\", \"time\", "
                                   "\"account\", \"extra_args\", \"attempts\", "
                                   "\"clade_on_nodes\"}}; --executor and the --slurm-* "
                                   "options override it.",
                ValueSpec::file("FILE"));
    s.addOption("slurm-submit", "--executor slurm: steps (one allocation held for the run, "
                                "one CPU per worker, each phase a job step in it; default) or "
                                "jobs (each phase a job of its own).",
                ValueSpec::oneOf("HOW", {"steps", "jobs"}));
    s.addOption("slurm-partition", "--executor slurm: the partition (default: the cluster's).",
                "NAME");
    s.addOption("slurm-time", "--executor slurm: each job's time limit, as sbatch takes it "
                              "(default: the phase's wall-clock limit plus a minute).",
                "TIME");
    s.addOption("slurm-account", "--executor slurm: the account to charge.", "NAME");
    s.addOption("slurm-arg", "--executor slurm: one more srun option, as it is (repeatable; "
                             "write --slurm-arg=--qos=high).",
                "ARG");
    s.addOption("slurm-attempts", "--executor slurm: runs of a phase whose job is lost (node "
                                  "failure, preemption, scancel) before the run stops "
                                  "(default 3).",
                "N");
    s.addOption("slurm-clade", "--executor slurm: the clade program on the compute nodes "
                               "(default: this program's path).",
                "PATH");
    s.addOption("review", spokenList(reviewChoices()) +
                              ": when proposals wait for a person (default auto).",
                ValueSpec::oneOf("POLICY", reviewChoices()));
    s.addOption("param", "Strategy parameter KEY=VALUE (repeatable).", "KEY=VALUE");
    s.addOption("max-cost", "Budget in USD for model calls (default none): no new call or work "
                            "starts once spent.", "USD");
    s.addOption("llm-provider", "Model API: openai (any OpenAI-compatible server) or anthropic.",
                ValueSpec::oneOf("NAME", llmProviderChoices()));
    s.addOption("llm-base-url", "Server URL (default: the provider's; e.g. http://127.0.0.1:8080/v1 "
                                "for llama.cpp, http://127.0.0.1:11434/v1 for Ollama).", "URL");
    s.addOption("llm-model", "Model name as the server knows it.", "NAME");
    s.addOption("llm-key-env", "NAME of the environment variable holding the API key (the key "
                               "itself is never stored).", "VAR");
    s.addOption("llm-config", "JSON file with \"llm\" settings and \"prices\" (USD per million "
                              "tokens per model); the --llm-* options override it.",
                ValueSpec::file("FILE"));
    s.addOption("llm-answer-retries", "Times an answer that does not apply is sent back to the "
                                      "model (default 1).", "N");
    s.addOption("llm-reflexion", "Rounds in which the model reviews its change and may revise "
                                 "it, as ADAS does (default 0; ADAS uses 2).", "N");
    s.addOption("headless", "Run on the terminal instead of in the explorer.");
}

/// The run's model from --llm-config and the --llm-* options (which win).
void readModelOptions(const VerbParser& p, engine::RunSettings& s)
{
    nlohmann::json llm = nlohmann::json::object();
    if (p.isSet("llm-config")) {
        const std::string file = p.value("llm-config").toStdString();
        const auto config = nlohmann::json::parse(engine::readTextFile(file), nullptr, false);
        if (config.is_discarded() || !config.is_object())
            throw InputError(file + ": expected a JSON object {\"llm\": {...}, \"prices\": {...}}");
        if (config.contains("llm"))
            llm = config.at("llm");
        if (config.contains("prices"))
            s.prices = llm::PriceTable::fromJson(config.at("prices"), file);
        if (!llm.is_object())
            throw InputError::field(file, "llm", "an object (provider, model, base_url, key_env, ...)");
    }
    const std::pair<const char*, const char*> options[] = {{"llm-provider", "provider"},
                                                           {"llm-base-url", "base_url"},
                                                           {"llm-model", "model"},
                                                           {"llm-key-env", "key_env"}};
    for (const auto& [option, field] : options)
        if (p.isSet(option))
            llm[field] = p.value(option).toStdString();
    // Checked here too so that the message names the option typed, not the JSON field.
    if (p.isSet("llm-base-url"))
        if (const auto problem = llm::baseUrlProblem(p.value("llm-base-url").toStdString());
            !problem.empty())
            throw InputError("--llm-base-url: expected " + problem);
    if (llm.empty())
        return;
    if (!llm.contains("provider"))
        llm["provider"] = "openai";
    s.llm = llm::LlmSettings::fromJson(llm, p.isSet("llm-config")
                                                ? p.value("llm-config").toStdString()
                                                : std::string("the command line (--llm-*)"));
}

/// --executor and the --slurm-* options; a --slurm-* option without --executor slurm is
/// refused rather than ignored.
void readExecutorOptions(const VerbParser& p, engine::ExecutorSettings& e)
{
    if (p.isSet("executor-config")) {
        const std::string file = p.value("executor-config").toStdString();
        const auto config = nlohmann::json::parse(engine::readTextFile(file), nullptr, false);
        if (config.is_discarded())
            throw InputError(file + ": expected a JSON object {\"kind\": \"slurm\", \"slurm\": {...}}");
        e = engine::ExecutorSettings::fromJson(config, file, "");
    }
    if (p.isSet("executor"))
        e.kind = p.value("executor").toStdString();
    auto& slurm = e.slurm;
    for (const char* option : {"slurm-submit", "slurm-partition", "slurm-time", "slurm-account", "slurm-arg",
                               "slurm-attempts", "slurm-clade"})
        if (p.isSet(option) && e.kind != "slurm")
            throw InputError(std::string("--") + option + ": expected --executor slurm with it");
    if (p.isSet("slurm-submit"))
        slurm.submit = p.value("slurm-submit").toStdString();
    if (p.isSet("slurm-partition"))
        slurm.partition = p.value("slurm-partition").toStdString();
    if (p.isSet("slurm-account"))
        slurm.account = p.value("slurm-account").toStdString();
    if (p.isSet("slurm-time")) {
        slurm.time = p.value("slurm-time").toStdString();
        if (const auto problem = engine::slurmTimeProblem(slurm.time); !problem.empty())
            throw InputError("--slurm-time: expected " + problem);
    }
    for (const QString& arg : p.values("slurm-arg"))
        slurm.extraArgs.push_back(arg.toStdString());
    slurm.attempts = p.intValue("slurm-attempts", 1, 100).value_or(slurm.attempts);
    if (p.isSet("slurm-clade"))
        slurm.cladeOnNodes = p.value("slurm-clade").toStdString();
}

engine::RunSettings settingsFrom(const VerbParser& p)
{
    engine::RunSettings s;
    s.workers = std::clamp(QThread::idealThreadCount(), 1, 2);
    if (p.isSet("strategy"))
        s.strategy = p.value("strategy").toStdString();
    if (p.isSet("proposer"))
        s.proposer = p.value("proposer").toStdString();
    if (p.isSet("sandbox"))
        s.sandbox = p.value("sandbox").toStdString();
    if (p.isSet("review"))
        s.review = p.value("review").toStdString();
    readExecutorOptions(p, s.executor);
    s.iterations = p.intValue("iterations", 0, 1000000).value_or(s.iterations);
    s.maxMinutes = p.doubleValue("max-minutes", 0).value_or(0);
    s.maxTaskEvaluations = p.intValue("max-evaluations", 0, 1000000000).value_or(0);
    s.workers = p.intValue("workers", 1, 64).value_or(s.workers);
    if (p.isSet("seed")) {
        bool ok = false;
        s.seed = p.value("seed").toULongLong(&ok);
        if (!ok)
            throw InputError("--seed: expected a whole number >= 0, got '" +
                             p.value("seed").toStdString() + "'");
    }
    for (const QString& param : p.values("param"))
        engine::addStrategyParam(s.strategyParams, param.toStdString());
    s.maxCost = p.doubleValue("max-cost", 0).value_or(0);
    s.answerRetries = p.intValue("llm-answer-retries", 0, 5).value_or(s.answerRetries);
    s.reflexionRounds = p.intValue("llm-reflexion", 0, 5).value_or(s.reflexionRounds);
    readModelOptions(p, s);
    return s;
}

fs::path defaultRunFolder(const std::string& name)
{
    fs::path base;
    if (const char* data = std::getenv("XDG_DATA_HOME"); data && *data)
        base = data;
    else
        base = fs::path(QDir::homePath().toStdString()) / ".local" / "share";
    const auto stamp = QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss").toStdString();
    fs::path folder = base / "clade" / "runs" / (name + "-" + stamp);
    for (int i = 2; fs::exists(folder); ++i)
        folder = base / "clade" / "runs" / (name + "-" + stamp + "-" + std::to_string(i));
    return folder;
}

engine::ExampleCatalog catalog()
{
    return engine::ExampleCatalog(QCoreApplication::applicationDirPath().toStdString());
}

fs::path resolveAgent(const std::string& agent)
{
    if (fs::is_directory(agent))
        return agent;
    if (const auto example = catalog().find(agent))
        return example->folder;
    throw InputError(agent + ": no such agent folder or bundled example (expected a folder with "
                             "clade.json, or one of the names `clade examples` lists)");
}

bool rootNeverEvaluated(const fs::path& run)
{
    try {
        const auto snapshot = engine::RunSnapshot::read(run);
        return snapshot.nodes.size() == 1 &&
               snapshot.nodes.front().status != engine::NodeStatus::Evaluated;
    } catch (const std::exception&) {
        return false; // unreadable: leave it for the user to look at
    }
}

void noteHeadless(const VerbParser& p)
{
    if (!p.isSet("headless"))
        std::fputs("clade: no display (DISPLAY and WAYLAND_DISPLAY are unset); running headless\n",
                   stderr);
}

int startRun(const fs::path& agent, const VerbParser& p, const std::string& name)
{
    const auto settings = settingsFrom(p);
    const fs::path out = p.isSet("out") ? fs::path(p.value("out").toStdString())
                                        : defaultRunFolder(name);
    if (guiApplication()) {
        // The explorer creates the run off its GUI thread and shows it as it grows; bad
        // input appears in the window.
        return runExplorer([&](ui::MainWindow& window) {
            window.session()->startNew(QString::fromStdString(agent.string()),
                                       QString::fromStdString(out.string()), settings);
        });
    }
    noteHeadless(p);
    // Created with signals held: an interrupt now stops the run once it exists, rather than
    // killing us half-way through creating it.
    SignalMask mask;
    const fs::path run = engine::createRun(agent, out, settings);
    // A run whose root cannot be evaluated is no run: leave nothing half-made behind.
    auto removeIfEmpty = [&run] {
        if (!rootNeverEvaluated(run))
            return;
        engine::removeTree(run);
        std::fprintf(stderr, "clade: removed the new run folder %s (its root could not be "
                             "evaluated; fix the problem and start again)\n",
                     run.c_str());
    };
    int status = ExitBadInput;
    try {
        status = driveRunHeadless(run, {});
    } catch (const InputError&) {
        removeIfEmpty();
        throw;
    }
    if (status == ExitBadInput)
        removeIfEmpty();
    return status;
}

} // namespace

void declareDemo(VerbSpec& s)
{
    s.description = "New run of the bundled offline example (binpack), started at once.";
    addRunOptions(s);
}

int runDemo(const VerbParser& p)
{
    const auto example = catalog().find("binpack");
    if (!example)
        throw InputError("the bundled example 'binpack' is not installed (looked in $CLADE_EXAMPLES_DIR, "
                         "<prefix>/share/clade/examples and the source tree)");
    return startRun(example->folder, p, "demo");
}

void declareRun(VerbSpec& s)
{
    s.description = "New run of an agent (a folder with clade.json, or an example name).";
    s.addPositional(ValueSpec::dir("AGENT"), "Agent folder or bundled example name.");
    addRunOptions(s);
}

int runNew(const VerbParser& p)
{
    const fs::path agent = resolveAgent(p.requirePositional(0, "AGENT (an agent folder)").toStdString());
    return startRun(agent, p, fs::absolute(agent).lexically_normal().filename().string());
}

void declareResume(VerbSpec& s)
{
    s.description = "Continue an interrupted or finished run.";
    s.addPositional(ValueSpec::dir("RUN"), "Run folder.");
    s.addOption("iterations", "New budget of children (total, not additional).", "N");
    s.addOption("max-minutes", "New time budget in minutes.", "M");
    s.addOption("max-evaluations", "New budget of per-task evaluations (total; 0 = none).", "N");
    s.addOption("max-cost", "New budget in USD for model calls (total; 0 = none).", "USD");
    s.addOption("workers", "Worker threads.", "K");
    s.addOption("headless", "Run on the terminal.");
}

int runResume(const VerbParser& p)
{
    engine::RunEngine::Overrides overrides;
    overrides.iterations = p.intValue("iterations", 0, 1000000);
    overrides.maxMinutes = p.doubleValue("max-minutes", 0);
    overrides.maxTaskEvaluations = p.intValue("max-evaluations", 0, 1000000000);
    overrides.maxCost = p.doubleValue("max-cost", 0);
    overrides.workers = p.intValue("workers", 1, 64);
    const QString run = p.requirePositional(0, "RUN (a run folder)");
    if (guiApplication()) {
        return runExplorer([run, overrides](ui::MainWindow& window) {
            auto* session = window.session();
            QObject::connect(
                session, &models::RunSession::opened, session,
                [session, overrides] { session->resumeHere(overrides); }, Qt::SingleShotConnection);
            window.openRun(run);
        });
    }
    noteHeadless(p);
    return driveRunHeadless(p.requirePositional(0, "RUN (a run folder)").toStdString(), overrides);
}

void declareExamples(VerbSpec& s)
{
    s.description = "The bundled example agents.";
}

int listExamples(const VerbParser&)
{
    const auto examples = catalog().list();
    if (examples.empty()) {
        std::fputs("no bundled examples found\n", stderr);
        return ExitBadInput;
    }
    for (const auto& e : examples)
        std::printf("%-10s %s\n           %s\n", e.name.c_str(), e.description.c_str(),
                    e.folder.c_str());
    return ExitDone;
}

} // namespace clade::app
