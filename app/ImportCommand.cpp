// clade import: another system's run (ADAS, AIDE, ...) as a Clade run folder.
#include "app/ExitCode.h"
#include "app/OptionChoices.h"
#include "app/VerbParser.h"
#include "app/Verbs.h"
#include "engine/importers/ImportFormats.h"
#include "engine/importers/ImportWriter.h"
#include "engine/util/InputError.h"

#include <QElapsedTimer>

#include <cstdio>

namespace clade::app {

void declareImport(VerbSpec& s)
{
    s.description = "Converts another system's run into a Clade run folder; the source is never "
                    "modified.";
    s.addPositional(ValueSpec::file("PATH"), "The run's file or folder (ADAS *_run_archive.json, "
                                             "AIDE journal.json, ...).");
    s.addOption("format", spokenList(importFormatChoices()) + " (default: detected).",
                ValueSpec::oneOf("NAME", importFormatChoices()));
    s.addOption("base", "dgm, hgm: the initial agent's code, to which each node's chain of patches "
                        "is applied (without it, nodes hold their patches as files).",
                ValueSpec::dir("DIR"));
    s.addOption("out", "The new run folder (required; it must not exist).", ValueSpec::dir("RUN"));
}

int importRun(const VerbParser& p)
{
    const QString source = p.requirePositional(0, "PATH (a run of another system)");
    if (!p.isSet("out"))
        throw engine::InputError("--out: expected the folder for the imported run");
    QElapsedTimer timer;
    timer.start();
    const engine::ImportedRun imported =
        engine::readImportedRun(source.toStdString(), p.value("format").toStdString(),
                                p.isSet("base") ? std::optional<std::filesystem::path>(p.value("base").toStdString())
                                                : std::nullopt);
    const engine::ImportResult result = engine::writeImportedRun(imported, p.value("out").toStdString());
    std::printf("imported %d nodes from %s (%s) in %.2f s\n", result.nodes,
                imported.source.string().c_str(), imported.format.c_str(),
                static_cast<double>(timer.elapsed()) / 1000.0);
    if (!result.warnings.empty()) {
        std::printf("%zu warning(s):\n", result.warnings.size());
        for (const auto& warning : result.warnings)
            std::printf("  - %s\n", warning.c_str());
    }
    std::printf("  run folder: %s\n  next: clade open %s | clade status %s\n", result.run.c_str(),
                result.run.c_str(), result.run.c_str());
    return ExitDone;
}

} // namespace clade::app
