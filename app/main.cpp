// clade: one binary for the headless engine and the explorer GUI.
#include "app/ExitCode.h"
#include "app/GuiLauncher.h"
#include "app/UsageText.h"
#include "app/VerbParser.h"
#include "app/VerbTable.h"
#include "engine/sandbox/SandboxHost.h"
#include "engine/util/InputError.h"
#include "engine/util/Utf8Text.h"

#include <QApplication>
#include <QCoreApplication>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <memory>

int main(int argc, char** argv)
{
    // Before any thread or sandbox starts: orphans of sandboxed commands are re-parented
    // to us (and reaped), never to the host's init.
    clade::engine::becomeChildSubreaper();

    QStringList rawArgs;
    for (int i = 1; i < argc; ++i) {
        // Qt reads arguments as UTF-8 and turns other bytes into U+FFFD: a note, a tag or a
        // path typed in another encoding would change without a word.
        if (!clade::engine::isValidUtf8(argv[i]))
            std::fprintf(stderr, "clade: warning: argument %d is not UTF-8; its invalid bytes are read as U+FFFD\n", i);
        rawArgs << QString::fromLocal8Bit(argv[i]);
    }
    // The explorer needs a QApplication (and a display); the headless engine must work
    // without either, so the kind of application is chosen before any is made.
    std::unique_ptr<QCoreApplication> app;
    if (clade::app::wantsGui(rawArgs)) {
        app = std::make_unique<QApplication>(argc, argv);
        // Ties the window to the installed menu entry (its icon and name; Wayland needs it).
        QGuiApplication::setDesktopFileName(CLADE_APP_ID);
    } else
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
    if (args.isEmpty() || args.front() == "--help" || args.front() == "-h") {
        const QString usage = clade::app::usageText();
        std::fputs(qPrintable(usage), args.isEmpty() ? stderr : stdout);
        return args.isEmpty() ? clade::app::ExitBadInput : clade::app::ExitDone;
    }
    if (args.front() == "--version") {
        std::printf("clade %s\n", CLADE_VERSION);
        return 0;
    }
    const QString verb = args.front();
    const clade::app::Verb* entry = clade::app::findVerb(verb);
    if (!entry) {
        std::fprintf(stderr, "clade: unknown verb '%s'\n\n%s", qPrintable(verb),
                     qPrintable(clade::app::usageText()));
        return clade::app::ExitBadInput;
    }
    try {
        clade::app::VerbParser parser(clade::app::specOf(*entry));
        parser.parse(args);
        return entry->run(parser);
    } catch (const clade::engine::InputError& e) {
        std::fprintf(stderr, "clade %s: %s\n", qPrintable(verb), e.what());
        return clade::app::ExitBadInput;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "clade %s: error: %s\n", qPrintable(verb), e.what());
        return clade::app::ExitRunFailed;
    }
}
