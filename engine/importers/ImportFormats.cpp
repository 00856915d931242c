#include "engine/importers/ImportFormats.h"

#include "engine/importers/AdasImporter.h"
#include "engine/importers/AideImporter.h"
#include "engine/importers/DgmImporter.h"
#include "engine/importers/ImportedText.h"
#include "engine/importers/OpenEvolveImporter.h"
#include "engine/importers/ShinkaImporter.h"
#include "engine/importers/SicaImporter.h"
#include "engine/util/InputError.h"

#include <fstream>

namespace clade::engine {
namespace {

namespace fs = std::filesystem;

bool endsWith(const std::string& text, const std::string& suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The first bytes of a JSON file, enough to tell an ADAS array from an AIDE journal
// without parsing a large file twice.
std::string head(const fs::path& file, std::size_t bytes = 4096)
{
    std::ifstream in(file, std::ios::binary);
    std::string text(bytes, '\0');
    in.read(text.data(), static_cast<std::streamsize>(bytes));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
}

std::optional<std::string> formatOfFile(const fs::path& file)
{
    const std::string name = file.filename().string();
    if (name == "journal.json")
        return "aide";
    if (endsWith(name, "_run_archive.json") || endsWith(name, "_results.json"))
        return "adas";
    if (file.extension() == ".json") {
        const std::string start = head(file);
        const auto first = start.find_first_not_of(" \t\r\n");
        if (first != std::string::npos && start[first] == '[' && start.find("\"fitness\"") != std::string::npos)
            return "adas";
        if (first != std::string::npos && start[first] == '{' &&
            (start.find("\"node2parent\"") != std::string::npos || start.find("\"is_buggy\"") != std::string::npos))
            return "aide";
    }
    return std::nullopt;
}

} // namespace

std::vector<std::string> importFormatNames()
{
    return {"adas", "aide", "dgm", "hgm", "openevolve", "shinka", "sica"};
}

std::optional<DetectedRun> detectImportFormat(const fs::path& path)
{
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) {
        const std::string name = path.filename().string();
        if (name == "dgm_metadata.jsonl" || name == "hgm_metadata.jsonl")
            return DetectedRun{name.substr(0, 3), path.parent_path()};
        if (const auto format = formatOfFile(path))
            return DetectedRun{*format, path};
        if (const auto database = findShinkaDatabase(path))
            return DetectedRun{"shinka", *database};
        if (const auto run = findSicaRun(path)) // its metadata.json
            return DetectedRun{"sica", *run};
        return std::nullopt;
    }
    if (!fs::is_directory(path, ec))
        return std::nullopt;
    if (fs::is_regular_file(path / "journal.json", ec))
        return DetectedRun{"aide", path / "journal.json"};
    if (fs::is_regular_file(path / "hgm_metadata.jsonl", ec))
        return DetectedRun{"hgm", path};
    if (fs::is_regular_file(path / "dgm_metadata.jsonl", ec))
        return DetectedRun{"dgm", path};
    if (!newestOpenEvolveCheckpoint(path).empty())
        return DetectedRun{"openevolve", path};
    if (const auto database = findShinkaDatabase(path))
        return DetectedRun{"shinka", *database};
    // A SICA run_<id>/ folder, or a results/ folder holding one (several: InputError).
    if (const auto run = findSicaRun(path))
        return DetectedRun{"sica", *run};
    // ADAS writes <name>_run_archive.json during the search and <name>_results.json after
    // evaluating on the test set; the archive is the search's tree.
    std::optional<DetectedRun> results;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
        const std::string name = entry.path().filename().string();
        if (endsWith(name, "_run_archive.json"))
            return DetectedRun{"adas", entry.path()};
        if (endsWith(name, "_results.json") && !results)
            results = DetectedRun{"adas", entry.path()};
    }
    return results;
}

ImportedRun readImportedRun(const fs::path& path, const std::string& format,
                            const std::optional<fs::path>& base)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw InputError(path.string() + ": no such file or folder (expected a run of another system)");
    std::string chosen = format;
    fs::path file = path;
    if (chosen.empty()) {
        const auto detected = detectImportFormat(path);
        if (!detected) {
            std::string known;
            for (const auto& name : importFormatNames())
                known += (known.empty() ? "" : ", ") + name;
            throw InputError(path.string() +
                             ": not a run this build can import (looked for an ADAS "
                             "*_run_archive.json / *_results.json, an AIDE journal.json, a "
                             "DGM / HGM dgm_metadata.jsonl / hgm_metadata.jsonl, OpenEvolve "
                             "checkpoints/, a SICA "
                             "run_<id>/ folder (metadata.json, agent_<i>/) or a results/ folder "
                             "holding one, and a ShinkaEvolve evolution_db.sqlite / "
                             "programs.sqlite or .db/.sqlite file with a programs table; "
                             "formats: " + known + "; choose one with --format)");
        }
        chosen = detected->format;
        file = detected->file;
    } else if ((chosen == "dgm" || chosen == "hgm") && fs::is_regular_file(path, ec)) {
        file = path.parent_path(); // their metadata file names the run folder around it
    } else if (chosen == "sica" && fs::is_regular_file(path, ec)) {
        file = path.parent_path(); // run_<id>/metadata.json
    } else if (fs::is_directory(path, ec)) {
        const auto detected = detectImportFormat(path);
        if (!detected || detected->format != chosen)
            throw InputError(path.string() + ": no " + chosen + " run found in this folder");
        file = detected->file;
    }
    const auto read = [&]() -> std::optional<ImportedRun> {
        if (chosen == "openevolve")
            return readOpenEvolveRun(file);
        if (chosen == "dgm")
            return readDgmRun(file, base);
        if (chosen == "hgm")
            return readHgmRun(file, base);
        if (chosen == "adas")
            return readAdasRun(file);
        if (chosen == "sica")
            return readSicaRun(file);
        if (chosen == "shinka")
            return readShinkaRun(file);
        if (chosen == "aide")
            return readAideRun(file);
        return std::nullopt;
    };
    if (std::optional<ImportedRun> run = read()) {
        repairImportedText(*run);
        return std::move(*run);
    }
    std::string known;
    for (const auto& name : importFormatNames())
        known += (known.empty() ? "" : ", ") + name;
    throw InputError("--format: unknown format '" + chosen + "' (expected one of: " + known + ")");
}

} // namespace clade::engine
