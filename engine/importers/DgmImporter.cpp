#include "engine/importers/DgmImporter.h"

#include "engine/importers/JsonStream.h"
#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"
#include "engine/util/Utf8Text.h"

#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace clade::engine {
namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxArtifactBytes = 4u << 20; // a transcript past this is cut

std::string readCapped(const fs::path& file, std::vector<std::string>& warnings)
{
    std::ifstream in(file, std::ios::binary);
    // A few bytes past the cap, so the cut can leave out a character that does not fit
    // whole instead of keeping half of it.
    std::string text(static_cast<std::size_t>(std::min<std::uintmax_t>(fs::file_size(file), kMaxArtifactBytes + 3)), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (fs::file_size(file) > kMaxArtifactBytes) {
        text = utf8Prefix(text, kMaxArtifactBytes);
        warnings.push_back(file.string() + ": longer than 4 MB; the artifact keeps its start");
    }
    return text;
}

// The initial agent's code, every regular file under `base` except version control.
std::map<std::string, std::string> readBase(const fs::path& base)
{
    if (!fs::is_directory(base))
        throw InputError(base.string() + ": no such folder (--base expects the initial agent's code)");
    std::map<std::string, std::string> files;
    for (auto it = fs::recursive_directory_iterator(base); it != fs::recursive_directory_iterator(); ++it) {
        const std::string name = it->path().filename().string();
        if (it->is_directory() && (name == ".git" || name == "__pycache__")) {
            it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file() && !it->is_symlink())
            files[it->path().lexically_relative(base).generic_string()] = readTextFile(it->path());
    }
    return files;
}

// A node folder's metadata.json, or nullopt when the folder has none.
std::optional<nlohmann::json> readMetadata(const fs::path& dir, std::vector<std::string>& warnings)
{
    const fs::path file = dir / "metadata.json";
    if (!fs::is_regular_file(file))
        return std::nullopt;
    LenientJson json = readLenientJson(file);
    noteInvalidUtf8(warnings, file, json.invalidUtf8Bytes);
    return std::move(json.value);
}

// DGM names each node by the local time it was made ("20250514_101500_111111",
// strftime "%Y%m%d_%H%M%S_%f"); that is the only time a DGM run records for a node. Read as
// UTC (the run does not say its time zone). 0 when the id is not such a time.
double runIdTime(const std::string& runId)
{
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, micro = 0, used = 0;
    if (std::sscanf(runId.c_str(), "%4d%2d%2d_%2d%2d%2d_%6d%n", &year, &month, &day, &hour,
                    &minute, &second, &micro, &used) != 7 ||
        static_cast<size_t>(used) != runId.size() || month < 1 || month > 12 || day < 1 ||
        day > 31 || hour > 23 || minute > 59 || second > 60)
        return 0;
    std::tm time{};
    time.tm_year = year - 1900;
    time.tm_mon = month - 1;
    time.tm_mday = day;
    time.tm_hour = hour;
    time.tm_min = minute;
    time.tm_sec = second;
    return static_cast<double>(::timegm(&time)) + micro / 1e6;
}

// One node folder of a DGM or HGM run, with its parsed metadata.json `m`, read into `node`
// (score, per-task results, patch, artifacts). Returns false when `m` is not an object.
bool readNodeFolder(const fs::path& dir, const nlohmann::json& m, ImportedNode& node,
                    std::vector<std::string>& warnings)
{
    if (!m.is_object()) {
        warnings.push_back((dir / "metadata.json").string() + ": expected a JSON object; node skipped");
        return false;
    }
    const auto performance = m.value("overall_performance", nlohmann::json::object());
    if (performance.is_object()) {
        if (const auto score = performance.value("accuracy_score", nlohmann::json()); score.is_number())
            node.score = score.get<double>();
        for (const char* key : {"total_resolved_instances", "total_submitted_instances", "total_unresolved_instances",
                                "total_emptypatch_instances"})
            if (const auto v = performance.value(key, nlohmann::json()); v.is_number())
                node.metrics[key] = v.get<double>();
        const auto ids = [&](const char* key, double result) {
            if (const auto list = performance.value(key, nlohmann::json()); list.is_array())
                for (const auto& id : list)
                    if (id.is_string())
                        node.results[id.get<std::string>()] = result;
        };
        ids("total_unresolved_ids", 0);
        ids("total_emptypatch_ids", 0);
        ids("total_resolved_ids", 1);
    }
    if (!node.score) {
        node.status = NodeStatus::Failed;
        node.error = "no overall_performance.accuracy_score in metadata.json (not evaluated, "
                     "or the patch did not compile)";
    }
    const auto runId = m.value("run_id", nlohmann::json());
    node.createdAt = runIdTime(runId.is_string() ? runId.get<std::string>() : node.sourceId);
    const std::string entry = m.value("entry", nlohmann::json()).is_string() ? m["entry"].get<std::string>() : "";
    std::string statement = m.value("problem_statement", nlohmann::json()).is_string()
                                ? m["problem_statement"].get<std::string>() : "";
    statement = elide(statement.substr(0, statement.find('\n')), 140);
    node.description = node.sourceId + (entry.empty() ? "" : " (" + entry + ")") +
                       (statement.empty() ? "" : ": " + statement);
    node.artifacts["source.json"] = m.dump(2) + "\n";
    for (const auto& file : fs::directory_iterator(dir)) {
        const std::string name = file.path().filename().string();
        if (!file.is_regular_file() || name == "metadata.json")
            continue;
        const std::string ext = file.path().extension().string();
        if (ext == ".md" || ext == ".diff" || ext == ".log" || ext == ".txt" || ext == ".json" || ext == ".jsonl")
            node.artifacts[name] = readCapped(file.path(), warnings);
    }
    return true;
}

// Orders nodes so every parent precedes its children (breadth first from the root);
// nodes whose parent chain never reaches the root are attached to it, with a warning.
std::vector<std::string> treeOrder(const std::string& root, const std::map<std::string, std::string>& parentOf,
                                   const std::vector<std::string>& all, std::vector<std::string>& warnings)
{
    std::map<std::string, std::vector<std::string>> children;
    for (const auto& id : all)
        if (id != root)
            if (const auto it = parentOf.find(id); it != parentOf.end())
                children[it->second].push_back(id);
    std::vector<std::string> order{root};
    std::set<std::string> placed{root};
    for (std::size_t k = 0; k < order.size(); ++k)
        for (const auto& child : children[order[k]])
            if (placed.insert(child).second)
                order.push_back(child);
    for (const auto& id : all)
        if (placed.insert(id).second) {
            warnings.push_back("node " + id + ": its parent chain does not reach the root (parent " +
                               (parentOf.count(id) ? parentOf.at(id) : std::string("none")) +
                               "); attached to the root");
            order.push_back(id);
        }
    return order;
}

struct TreeSource {
    std::string root;
    std::vector<std::string> ids; ///< every node id named anywhere
    std::map<std::string, std::string> parentOf;
    std::map<std::string, nlohmann::json> extra; ///< per node: what the metadata file adds
    std::map<std::string, nlohmann::json> metadata; ///< node folders' metadata.json read already
    std::set<std::string> archive;
};

ImportedRun buildRun(const std::string& format, const fs::path& folder, const TreeSource& tree,
                     const std::optional<fs::path>& base, std::vector<std::string> warnings)
{
    ImportedRun run;
    run.format = format;
    run.source = folder;
    run.name = folder.filename().string() + "-" + format;
    run.primaryMetric = "accuracy_score";
    const auto order = treeOrder(tree.root, tree.parentOf, tree.ids, warnings);
    std::map<std::string, int> indexOf;
    std::vector<int> depth;
    for (const auto& id : order) {
        ImportedNode node;
        node.sourceId = id;
        const int index = static_cast<int>(run.nodes.size());
        if (index > 0) {
            const auto parent = tree.parentOf.find(id);
            node.parent = parent != tree.parentOf.end() && indexOf.count(parent->second) ? indexOf[parent->second] : 0;
        }
        const auto known = tree.metadata.find(id);
        const auto metadata = known != tree.metadata.end() ? std::optional(known->second) : readMetadata(folder / id, warnings);
        if (!metadata || !readNodeFolder(folder / id, *metadata, node, warnings)) {
            node.placeholder = true;
            node.status = NodeStatus::Failed;
            node.description = "missing from the run folder: node " + id;
            node.error = "the run names this node but holds no " + id + "/metadata.json";
            if (index > 0)
                warnings.push_back("node " + id + ": no " + id + "/metadata.json (shown as a placeholder)");
        }
        if (const auto it = tree.extra.find(id); it != tree.extra.end()) {
            for (const auto& [key, value] : it->second.items()) {
                if (value.is_number())
                    node.metrics[key] = value.get<double>();
                else if (value.is_null() && key == "mean_utility")
                    warnings.push_back("node " + id + ": mean_utility is not a finite number (read as missing)");
            }
        }
        if (tree.archive.count(id))
            node.flags |= FlagKept;
        const auto patch = node.artifacts.find("model_patch.diff");
        if (index == 0) {
            node.proposer.kind = "root";
            node.flags |= FlagKept;
            if (base)
                node.files = readBase(*base);
        } else if (base && patch != node.artifacts.end() && !patch->second.empty()) {
            node.patch = patch->second;
        } else {
            // No base code: the commit holds the chain of patches from the root.
            node.files = run.nodes[static_cast<std::size_t>(node.parent)].files;
            if (patch != node.artifacts.end() && !patch->second.empty()) {
                char prefix[16];
                std::snprintf(prefix, sizeof prefix, "%02d", depth[static_cast<std::size_t>(node.parent)] + 1);
                node.files["patches/" + std::string(prefix) + "-" + id + ".diff"] = patch->second;
            } else if (!node.placeholder) {
                warnings.push_back("node " + id + ": no model_patch.diff (or an empty one)");
            }
        }
        depth.push_back(index == 0 ? 0 : depth[static_cast<std::size_t>(node.parent)] + 1);
        indexOf[id] = index;
        run.nodes.push_back(std::move(node));
    }
    if (!base)
        warnings.push_back("no --base given: each node's code is its chain of patches (patches/); pass "
                           "the initial agent's folder with --base to see real code");
    run.warnings = std::move(warnings);
    return run;
}


} // namespace

ImportedRun readDgmRun(const fs::path& folder, const std::optional<fs::path>& base)
{
    const fs::path metadataFile = folder / "dgm_metadata.jsonl";
    const JsonStream stream = readJsonStream(metadataFile);
    std::vector<std::string> warnings;
    noteInvalidUtf8(warnings, metadataFile, stream.invalidUtf8Bytes);
    if (!stream.truncatedTail.empty())
        warnings.push_back(metadataFile.string() + ": " + stream.truncatedTail + "; the records before it are used");
    TreeSource tree;
    tree.root = "initial";
    std::set<std::string> named{"initial"};
    for (const auto& record : stream.values) {
        if (!record.is_object())
            continue;
        for (const char* key : {"children", "archive"})
            if (const auto list = record.value(key, nlohmann::json()); list.is_array())
                for (const auto& id : list)
                    if (!jsonIdText(id).empty())
                        named.insert(jsonIdText(id));
        if (const auto archive = record.value("archive", nlohmann::json()); archive.is_array()) {
            tree.archive.clear(); // the last record's archive is the final one
            for (const auto& id : archive)
                tree.archive.insert(jsonIdText(id));
        }
    }
    // Every node folder counts, named in the metadata or not (a run stopped mid-generation).
    for (const auto& entry : fs::directory_iterator(folder))
        if (entry.is_directory() && fs::exists(entry.path() / "metadata.json"))
            named.insert(entry.path().filename().string());
    tree.ids.assign(named.begin(), named.end());
    for (const auto& id : tree.ids) {
        if (id == tree.root)
            continue;
        const auto metadata = readMetadata(folder / id, warnings);
        if (!metadata)
            continue;
        tree.metadata[id] = *metadata; // read once: buildRun takes it from here
        if (metadata->is_object())
            if (const std::string parent = jsonIdText(metadata->value("parent_commit", nlohmann::json())); !parent.empty())
                tree.parentOf[id] = parent;
    }
    // A parent named by a node but held nowhere (its folder was deleted, or the run was
    // copied in part) shows as a placeholder under the root, its children under it.
    for (const auto& [child, parent] : std::map<std::string, std::string>(tree.parentOf))
        if (!named.count(parent)) {
            named.insert(parent);
            tree.ids.push_back(parent);
            tree.parentOf[parent] = tree.root;
        }
    return buildRun("dgm", folder, tree, base, std::move(warnings));
}

ImportedRun readHgmRun(const fs::path& folder, const std::optional<fs::path>& base)
{
    const fs::path metadataFile = folder / "hgm_metadata.jsonl";
    const JsonStream stream = readJsonStream(metadataFile);
    std::vector<std::string> warnings;
    noteInvalidUtf8(warnings, metadataFile, stream.invalidUtf8Bytes);
    if (!stream.truncatedTail.empty())
        warnings.push_back(metadataFile.string() + ": " + stream.truncatedTail + "; the records before it are used");
    const nlohmann::json* last = nullptr;
    for (const auto& record : stream.values)
        if (record.is_object() && record.contains("nodes") && record["nodes"].is_array())
            last = &record;
    if (!last)
        throw InputError(metadataFile.string() + ": no snapshot with a \"nodes\" array (expected "
                                                 "{n_task_evals, nodes: [{commit_id, id, parent_id, ...}]})");
    TreeSource tree;
    std::map<std::string, std::string> commitOfId;
    for (const auto& node : (*last)["nodes"]) {
        const std::string id = node.is_object() ? jsonIdText(node.value("id", nlohmann::json())) : "";
        const std::string commit = node.is_object() ? jsonIdText(node.value("commit_id", nlohmann::json())) : "";
        if (id.empty() || commit.empty()) {
            warnings.push_back("a node of the last snapshot lacks id or commit_id; skipped");
            continue;
        }
        if (commitOfId.count(id)) {
            warnings.push_back("node id " + id + " appears twice in the last snapshot; the first is used");
            continue;
        }
        commitOfId[id] = commit;
        tree.ids.push_back(commit);
        tree.extra[commit] = {{"mean_utility", node.value("mean_utility", nlohmann::json())},
                              {"num_evals", node.value("num_evals", nlohmann::json())},
                              {"hgm_id", node.value("id", nlohmann::json())}};
    }
    for (const auto& node : (*last)["nodes"]) {
        if (!node.is_object())
            continue;
        const std::string id = jsonIdText(node.value("id", nlohmann::json()));
        const std::string parent = jsonIdText(node.value("parent_id", nlohmann::json()));
        if (!commitOfId.count(id))
            continue;
        if (parent.empty() || parent == "-1" || !commitOfId.count(parent)) {
            if (tree.root.empty()) {
                tree.root = commitOfId[id];
            } else {
                warnings.push_back("node " + commitOfId[id] + ": its parent " + (parent.empty() ? "(none)" : parent) +
                                   " is not in the snapshot; attached to the root");
            }
            continue;
        }
        tree.parentOf[commitOfId[id]] = commitOfId[parent];
    }
    if (tree.root.empty())
        throw InputError(metadataFile.string() + ": the last snapshot has no root (a node without parent_id)");
    return buildRun("hgm", folder, tree, base, std::move(warnings));
}

} // namespace clade::engine
