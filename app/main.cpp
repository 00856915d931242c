// clade: one binary for the headless engine and (later) the explorer GUI.
#include "app/ExitCode.h"
#include "app/GuiLauncher.h"
#include "app/Verbs.h"
#include "engine/sandbox/SandboxHost.h"
#include "engine/util/InputError.h"

#include <QApplication>
#include <QCoreApplication>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <functional>
#include <map>
#include <memory>

namespace {

constexpr const char* kUsage = R"(usage: clade [VERB [options]]

  clade                                  the explorer GUI: welcome page, recent runs
  clade demo [--headless] [--seed S]     new run of the bundled offline example, started at once
                                         (in the explorer when a display exists)
  clade run AGENT [options]              new run; AGENT is a folder with clade.json or an example name
      --out DIR --strategy sica|adas|dgm|hgm|islands --proposer command --iterations N --max-minutes M
      --max-evaluations N (per-task evaluations)
      --workers K --seed S --sandbox bwrap|unsafe-rlimits --param KEY=VALUE --headless
      --review auto|ask-on-risk|ask-always   hold risky (or all) proposals for a person
  clade resume RUN [--iterations N] [--max-evaluations N]
                                         continue an interrupted or finished run
  clade open RUN [--screenshot FILE.png [--select NODE] [--size WxH] [--tab NAME]]
                                         the explorer on a run (live while it runs)
  clade status RUN [--json]              counts by status, best node, budget used
  clade show RUN NODE [--diff [OTHER]] [--json]
  clade export RUN --format json|csv|dot [--out FILE]
  clade import PATH [--format adas|aide|dgm|hgm|openevolve|shinka|sica] [--base DIR] --out RUN
                                         another system's run as a Clade run
  clade review RUN [--json]              the approval queue, with each node's findings
  clade approve|reject RUN NODE [--note TEXT]   decide on a held proposal or keep
  clade revert RUN NODE [--note TEXT]    the search stops building on NODE and its clade
  clade branch RUN NODE [--times N | --until-unpinned]   next expansions start at NODE
  clade unpin|star|unstar RUN NODE       clade note RUN NODE TEXT     clade tag|untag RUN NODE TAG
  clade sandbox [--memory MB --cpu-seconds S --wall-seconds S --pids N] -- CMD [ARGS]
                                         run one command in the engine's sandbox
  clade examples                         the bundled examples

Run `clade VERB --help` for a verb's options. Exit status: 0 done, 1 the run failed,
2 bad usage or bad input.
)";

} // namespace

int main(int argc, char** argv)
{
    // Before any thread or sandbox starts: orphans of sandboxed commands are re-parented
    // to us (and reaped), never to the host's init.
    clade::engine::becomeChildSubreaper();

    QStringList rawArgs;
    for (int i = 1; i < argc; ++i)
        rawArgs << QString::fromLocal8Bit(argv[i]);
    // The explorer needs a QApplication (and a display); the headless engine must work
    // without either, so the kind of application is chosen before any is made.
    std::unique_ptr<QCoreApplication> app;
    if (clade::app::wantsGui(rawArgs))
        app = std::make_unique<QApplication>(argc, argv);
    else
        app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setOrganizationName("clade");
    QCoreApplication::setApplicationName("clade");
    QCoreApplication::setApplicationVersion(CLADE_VERSION);

    // Engine diagnostics go to stderr, so stdout stays the verb's output (JSON, CSV, ...).
    spdlog::set_default_logger(spdlog::stderr_color_mt("clade"));
    spdlog::set_pattern("clade: %^%l%$: %v");
    spdlog::set_level(spdlog::level::info);

    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    if (args.isEmpty() && clade::app::guiApplication())
        return clade::app::runExplorer({});
    if (args.isEmpty() || args.front() == "--help" || args.front() == "-h" ||
        args.front() == "help") {
        std::fputs(kUsage, args.isEmpty() ? stderr : stdout);
        return args.isEmpty() ? clade::app::ExitBadInput : clade::app::ExitDone;
    }
    if (args.front() == "--version") {
        std::printf("clade %s\n", CLADE_VERSION);
        return 0;
    }
    std::map<QString, std::function<int(const QStringList&)>> verbs{
        {"demo", clade::app::runDemo},          {"run", clade::app::runNew},
        {"resume", clade::app::runResume},      {"status", clade::app::showStatus},
        {"show", clade::app::showNode},         {"export", clade::app::exportRun},
        {"import", clade::app::importRun},
        {"sandbox", clade::app::runSandbox},    {"examples", clade::app::listExamples},
        {"open", clade::app::openInExplorer},   {"review", clade::app::showReviewQueue},
    };
    for (const char* decision : {"approve", "reject", "revert", "branch", "unpin", "note", "tag",
                                 "untag", "star", "unstar"})
        verbs.emplace(decision, clade::app::decide);
    const QString verb = args.front();
    const auto it = verbs.find(verb);
    if (it == verbs.end()) {
        std::fprintf(stderr, "clade: unknown verb '%s'\n\n%s", qPrintable(verb), kUsage);
        return clade::app::ExitBadInput;
    }
    try {
        return it->second(args);
    } catch (const clade::engine::InputError& e) {
        std::fprintf(stderr, "clade %s: %s\n", qPrintable(verb), e.what());
        return clade::app::ExitBadInput;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "clade %s: error: %s\n", qPrintable(verb), e.what());
        return clade::app::ExitRunFailed;
    }
}
