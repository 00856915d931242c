#include "engine/importers/OpenEvolveImporter.h"

#include "engine/importers/JsonText.h"
#include "engine/util/InputError.h"
#include "engine/util/Utf8Text.h"

#include <algorithm>
#include <map>
#include <set>

namespace clade::engine {
namespace {

namespace fs = std::filesystem;

int checkpointNumber(const fs::path& dir)
{
    const std::string name = dir.filename().string();
    const std::string prefix = "checkpoint_";
    if (name.rfind(prefix, 0) != 0)
        return -1;
    try {
        std::size_t used = 0;
        const int n = std::stoi(name.substr(prefix.size()), &used);
        return used == name.size() - prefix.size() ? n : -1;
    } catch (const std::exception&) {
        return -1;
    }
}

std::string fileNameFor(const std::string& language)
{
    static const std::map<std::string, std::string> kExtensions{
        {"python", "py"}, {"rust", "rs"}, {"r", "R"}, {"cpp", "cpp"}, {"c", "c"}, {"javascript", "js"},
        {"metal", "metal"}, {"cuda", "cu"}, {"go", "go"}, {"java", "java"}};
    const auto it = kExtensions.find(language);
    return "program." + (it != kExtensions.end() ? it->second : std::string("txt"));
}


} // namespace

fs::path newestOpenEvolveCheckpoint(const fs::path& path)
{
    std::error_code ec;
    if (checkpointNumber(path) >= 0 && fs::is_directory(path / "programs", ec))
        return path;
    for (const fs::path& folder : {path / "checkpoints", path}) {
        if (!fs::is_directory(folder, ec))
            continue;
        fs::path best;
        int bestNumber = -1;
        for (const auto& entry : fs::directory_iterator(folder, ec)) {
            const int n = checkpointNumber(entry.path());
            if (n > bestNumber && fs::is_directory(entry.path() / "programs", ec)) {
                best = entry.path();
                bestNumber = n;
            }
        }
        if (bestNumber >= 0)
            return best;
    }
    return {};
}

ImportedRun readOpenEvolveRun(const fs::path& path)
{
    const fs::path checkpoint = newestOpenEvolveCheckpoint(path);
    if (checkpoint.empty())
        throw InputError(path.string() + ": no OpenEvolve checkpoint (expected checkpoints/checkpoint_N/programs/)");
    ImportedRun run;
    run.format = "openevolve";
    run.source = checkpoint;
    run.name = (checkpoint.parent_path().filename() == "checkpoints" ? checkpoint.parent_path().parent_path()
                                                                     : checkpoint.parent_path())
                   .filename()
                   .string() +
               "-openevolve";
    run.primaryMetric = "combined_score";

    std::set<std::string> archive;
    std::string best;
    if (fs::is_regular_file(checkpoint / "metadata.json")) {
        const LenientJson json = readLenientJson(checkpoint / "metadata.json");
        noteInvalidUtf8(run.warnings, checkpoint / "metadata.json", json.invalidUtf8Bytes);
        const auto& metadata = json.value;
        if (metadata.is_object()) {
            if (const auto list = metadata.value("archive", nlohmann::json()); list.is_array())
                for (const auto& id : list)
                    archive.insert(jsonIdText(id));
            best = jsonIdText(metadata.value("best_program_id", nlohmann::json()));
        }
    }

    struct Program {
        nlohmann::json record;
        std::string id, parent;
        long long generation = 0;
        double found = 0;
    };
    std::vector<Program> programs;
    for (const auto& entry : fs::directory_iterator(checkpoint / "programs")) {
        if (entry.path().extension() != ".json")
            continue;
        LenientJson json;
        try {
            json = readLenientJson(entry.path());
        } catch (const InputError& error) {
            run.warnings.push_back(std::string(error.what()) + "; program skipped");
            continue;
        }
        const auto& r = json.value;
        if (!r.is_object() || jsonIdText(r.value("id", nlohmann::json())).empty() || !r.value("code", nlohmann::json()).is_string()) {
            run.warnings.push_back(entry.path().string() + ": skipped (expected a program with \"id\" and \"code\")");
            continue;
        }
        if (json.nonFiniteNumbers > 0)
            run.warnings.push_back(entry.path().filename().string() + ": NaN/Infinity metric(s) read as missing");
        noteInvalidUtf8(run.warnings, entry.path(), json.invalidUtf8Bytes);
        Program p;
        p.id = jsonIdText(r["id"]);
        p.parent = jsonIdText(r.value("parent_id", nlohmann::json()));
        p.generation = r.value("generation", nlohmann::json()).is_number() ? r["generation"].get<long long>() : 0;
        const auto found = r.value("iteration_found", nlohmann::json());
        p.found = found.is_number() ? found.get<double>() : 0;
        p.record = r;
        programs.push_back(std::move(p));
    }
    // Parents before children: OpenEvolve's generation grows by one from parent to child.
    std::sort(programs.begin(), programs.end(), [](const Program& a, const Program& b) {
        return std::tie(a.generation, a.found, a.id) < std::tie(b.generation, b.found, b.id);
    });

    ImportedNode root;
    root.sourceId = "root";
    root.description = "OpenEvolve run (a synthetic root above its initial programs)";
    root.proposer.kind = "root";
    run.nodes.push_back(std::move(root));
    std::set<std::string> present;
    for (const auto& p : programs)
        present.insert(p.id);
    std::map<std::string, int> indexOf;
    for (const auto& p : programs)
        if (!p.parent.empty() && !present.count(p.parent) && !indexOf.count(p.parent)) {
            ImportedNode placeholder;
            placeholder.sourceId = p.parent;
            placeholder.parent = 0;
            placeholder.placeholder = true;
            placeholder.status = NodeStatus::Failed;
            placeholder.description = "evicted from the population: program " + p.parent;
            placeholder.error = "OpenEvolve no longer holds this program in the checkpoint";
            indexOf[p.parent] = static_cast<int>(run.nodes.size());
            run.nodes.push_back(std::move(placeholder));
            run.warnings.push_back("program " + p.id + ": its parent " + p.parent +
                                   " is not in the checkpoint (evicted; shown as a placeholder)");
        }
    for (const auto& p : programs) {
        const auto& r = p.record;
        ImportedNode node;
        node.sourceId = p.id;
        const auto parent = indexOf.find(p.parent);
        node.parent = p.parent.empty() ? 0 : parent != indexOf.end() ? parent->second : 0;
        if (!p.parent.empty() && parent == indexOf.end())
            run.warnings.push_back("program " + p.id + ": its parent " + p.parent +
                                   " comes later (generation order broken); attached to the root");
        const std::string language = jsonIdText(r.value("language", nlohmann::json("python")));
        node.files[fileNameFor(language)] = r["code"].get<std::string>();
        const auto metrics = r.value("metrics", nlohmann::json::object());
        double sum = 0;
        int numbers = 0;
        if (metrics.is_object())
            for (const auto& [key, value] : metrics.items())
                if (value.is_number()) {
                    node.metrics[key] = value.get<double>();
                    sum += value.get<double>();
                    ++numbers;
                }
        if (metrics.is_object() && metrics.contains("combined_score")) {
            if (node.metrics.count("combined_score"))
                node.score = node.metrics["combined_score"];
            else
                run.warnings.push_back("program " + p.id + ": combined_score is not a number (no score)");
        } else if (numbers > 0)
            node.score = sum / numbers;
        else
            run.warnings.push_back("program " + p.id + ": no numeric metric (no score)");
        node.metrics["generation"] = static_cast<double>(p.generation);
        node.metrics["iteration_found"] = p.found;
        const auto metadata = r.value("metadata", nlohmann::json::object());
        if (metadata.is_object() && metadata.value("island", nlohmann::json()).is_number())
            node.metrics["island"] = metadata["island"].get<double>();
        std::string changes = metadata.is_object() ? jsonIdText(metadata.value("changes", nlohmann::json())) : "";
        changes = elide(changes.substr(0, changes.find('\n')), 140);
        node.description = "program " + elide(p.id, 8, "") + " (generation " + std::to_string(p.generation) + ")" +
                           (changes.empty() ? "" : ": " + changes) + (p.id == best ? " [best]" : "");
        if (archive.count(p.id) || p.id == best)
            node.flags |= FlagKept;
        if (const auto t = r.value("timestamp", nlohmann::json()); t.is_number())
            node.createdAt = t.get<double>();
        nlohmann::json kept = r;
        kept.erase("code");
        kept.erase("prompts");
        node.artifacts["source.json"] = kept.dump(2) + "\n";
        if (const auto prompts = r.value("prompts", nlohmann::json()); prompts.is_object() && !prompts.empty())
            node.artifacts["prompts.json"] = prompts.dump(2) + "\n";
        if (const auto artifacts = r.value("artifacts_json", nlohmann::json()); artifacts.is_string())
            node.artifacts["artifacts.json"] = artifacts.get<std::string>();
        indexOf[p.id] = static_cast<int>(run.nodes.size());
        run.nodes.push_back(std::move(node));
    }
    return run;
}

} // namespace clade::engine
