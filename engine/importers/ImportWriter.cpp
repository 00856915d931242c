#include "engine/importers/ImportWriter.h"

#include "engine/eval/HarnessPin.h"
#include "engine/git/BulkWrite.h"
#include "engine/git/Commit.h"
#include "engine/git/FileSetCommit.h"
#include "engine/git/PackedReferences.h"
#include "engine/git/Repository.h"
#include "engine/importers/ImportedStrategy.h"
#include "engine/run/RunConfig.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"
#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"
#include "engine/util/UniqueFd.h"
#include "engine/util/Utf8Text.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <set>
#include <cerrno>
#include <fcntl.h>
#include <system_error>
#include <unistd.h>

namespace clade::engine {
namespace {

namespace fs = std::filesystem;

// An imported run is not evaluated by Clade: its manifest only describes what the nodes
// hold. The harness folder explains itself to anyone who opens it.
RunConfig configFor(const ImportedRun& imported, const fs::path& folder, int nodeCount)
{
    const fs::path harness = RunFolder{folder}.harness();
    fs::create_directories(harness);
    writeFileAtomically(harness / "README.txt",
                        "This run was imported from " + imported.format + " (" +
                            imported.source.string() +
                            "). Clade did not evaluate it; there is no harness.\n");
    std::set<std::string> files, tasks;
    for (const auto& node : imported.nodes) {
        for (const auto& [path, content] : node.files)
            files.insert(path);
        for (const auto& [task, score] : node.results)
            tasks.insert(task);
    }
    RunConfig config;
    config.name = imported.name;
    config.createdAt = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    config.agentSource = imported.source;
    config.harnessSha256 = hashFolder(harness);
    Manifest& m = config.manifest;
    m.name = imported.name;
    m.description = "imported from " + imported.format + ": " + imported.source.string();
    m.evolvable.assign(files.begin(), files.end());
    if (m.evolvable.empty())
        m.evolvable = {"(none)"};
    m.harnessDir = harness;
    m.solve.argv = {"/bin/false"};
    m.score.argv = {"/bin/false"};
    m.tasks.assign(tasks.begin(), tasks.end());
    if (m.tasks.empty())
        m.tasks = {"overall"};
    m.primaryMetric = imported.primaryMetric;
    m.direction = imported.direction;
    config.settings.strategy = kImportedStrategy;
    config.settings.iterations = nodeCount;
    return config;
}

// One syncfs for everything written under `folder` (instead of one fsync per file).
void syncFileSystemOf(const fs::path& folder)
{
    const UniqueFd fd(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd || ::syncfs(fd.get()) != 0) {
        const int error = errno;
        throw std::system_error(error, std::generic_category(), "sync " + folder.string());
    }
}

// Letters of any script stay (the names are valid UTF-8 by now, see repairImportedText);
// ASCII punctuation that a shell or a path would read, and control bytes, become '_'.
std::string safeArtifactName(const std::string& name)
{
    std::string out;
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        out += (byte >= 0x80 || std::isalnum(byte) || c == '.' || c == '-' || c == '_') ? c : '_';
    }
    return out.empty() || out[0] == '.' ? "_" + out : out;
}

// The node at `index` as a commit (its parents, earlier in the list, are committed
// already; refs are written for all nodes at the end) and as the row the store will hold. Links that cannot be kept become warnings.
Node commitNode(git::Repository& repo, const ImportedRun& imported, std::size_t index,
                std::vector<git::Oid>& commits, std::vector<std::string>& warnings)
{
    const ImportedNode& in = imported.nodes[index];
    const int id = static_cast<int>(index);
    Node node;
    node.id = id;
    int parent = id == 0 ? -1 : in.parent;
    if (id > 0 && (parent < 0 || parent >= id)) {
        warnings.push_back("node " + in.sourceId + ": its parent comes after it or is missing; "
                                                   "attached to the root");
        parent = 0;
    }
    std::vector<git::Oid> parentCommits;
    if (parent >= 0) {
        node.parents.push_back(parent);
        parentCommits.push_back(commits[static_cast<std::size_t>(parent)]);
    }
    for (const int extra : in.extraParents) {
        if (extra >= 0 && extra < id && extra != parent) {
            node.parents.push_back(extra);
            parentCommits.push_back(commits[static_cast<std::size_t>(extra)]);
        } else {
            warnings.push_back("node " + in.sourceId + ": an inspiration parent is missing or later; edge dropped");
        }
    }
    const std::string message = "imported " + imported.format + " node " + in.sourceId;
    git::Oid commit;
    std::string why;
    if (!in.patch || parent < 0) {
        commit = git::commitFileSet(repo.raw(), in.files, parentCommits, message);
    } else if (const auto patched = git::commitPatch(repo.raw(), parentCommits.front(), *in.patch,
                                                     parentCommits, message, why)) {
        commit = *patched;
    } else {
        // The node keeps its parent's code; its patch stays readable as an artifact.
        warnings.push_back("node " + in.sourceId + ": " + why + "; it shows its parent's code");
        commit = git::Commit::create(repo.raw(), repo.treeOf(parentCommits.front()), parentCommits, message, {});
    }
    commits.push_back(commit);
    node.commit = commit.hex();
    node.status = in.status;
    node.flags = in.flags;
    node.score = in.score;
    node.description = in.description;
    node.proposer = in.proposer;
    node.results = in.results;
    node.metrics = in.metrics;
    node.error = in.error;
    node.createdAt = in.createdAt;
    node.updatedAt = in.createdAt;
    if (parent >= 0) {
        const auto stats = repo.diffStats(commits[static_cast<std::size_t>(parent)], commit);
        node.diff = {stats.filesChanged, stats.insertions, stats.deletions};
        if (stats.filesChanged == 0 && !in.placeholder && why.empty())
            warnings.push_back("node " + in.sourceId + ": its code is the same as its parent's (empty diff)");
    }
    return node;
}

void writeArtifacts(const RunFolder& folder, int id, const ImportedNode& node)
{
    for (const auto& [name, content] : node.artifacts) {
        const fs::path dir = folder.artifacts(id);
        fs::create_directories(dir);
        writeScratchFile(dir / safeArtifactName(name), content); // made durable as a whole at the end
    }
}

// The rows in one transaction, and where the import came from with what it warned about.
void writeStore(const RunFolder& folder, const std::vector<Node>& rows, const ImportedRun& imported,
                const std::vector<std::string>& warnings)
{
    RunStore store(folder.database());
    store.insertNodes(rows);
    store.setMeta("import_format", imported.format);
    store.setMeta("import_source", imported.source.string());
    // Writing adds warnings that quote git's messages, which quote file names.
    std::vector<std::string> lines;
    for (const auto& warning : warnings)
        lines.push_back(toValidUtf8(warning));
    store.setMeta("import_warnings", nlohmann::json(lines).dump());
    std::string text;
    for (const auto& line : lines)
        text += line + "\n";
    fs::create_directories(folder.artifacts());
    writeFileAtomically(folder.artifacts() / "import-warnings.txt", text);
}

} // namespace

ImportResult writeImportedRun(const ImportedRun& imported, const fs::path& out)
{
    if (fs::exists(out))
        throw InputError(out.string() + ": already exists (expected a new folder for the imported run)");
    if (imported.nodes.empty())
        throw InputError(imported.source.string() + ": nothing to import (no node was read)");
    const fs::path target = fs::absolute(out).lexically_normal();
    fs::create_directories(target.parent_path());
    // Built beside the target and renamed at the end: no half-written run under that name.
    const fs::path building = target.parent_path() /
                              ("." + target.filename().string() + ".importing-" + std::to_string(::getpid()));
    fs::remove_all(building);
    ImportResult result;
    result.warnings = imported.warnings;
    try {
        fs::create_directories(building);
        const RunFolder folder{building};
        const RunConfig config = configFor(imported, building, static_cast<int>(imported.nodes.size()));
        config.save(building);

        // Nothing is durable one file at a time: objects go to memory and then one pack,
        // refs to one packed-refs file, artifacts unsynced; the whole folder is synced once
        // before it is renamed into place. A crash before that leaves only the hidden
        // folder, which the next import of the same name removes.
        auto repo = git::Repository::initBare(folder.repo());
        git::BulkObjectWriter objects(repo.raw());
        std::vector<Node> rows;
        std::vector<git::Oid> commits;
        rows.reserve(imported.nodes.size());
        for (std::size_t i = 0; i < imported.nodes.size(); ++i) {
            rows.push_back(commitNode(repo, imported, i, commits, result.warnings));
            writeArtifacts(folder, rows.back().id, imported.nodes[i]);
        }
        objects.finish();
        std::vector<std::pair<std::string, git::Oid>> refs;
        for (std::size_t i = 0; i < commits.size(); ++i)
            refs.emplace_back(RunFolder::nodeRef(static_cast<int>(i)), commits[i]);
        git::addPackedReferences(folder.repo(), refs, /*sync=*/false); // synced with the folder
        writeStore(folder, rows, imported, result.warnings);
        syncFileSystemOf(building);
    } catch (...) {
        std::error_code ignored;
        fs::remove_all(building, ignored);
        throw;
    }
    fs::rename(building, target);
    syncDirectory(target.parent_path());
    result.run = target;
    result.nodes = static_cast<int>(imported.nodes.size());
    return result;
}

} // namespace clade::engine
