#include "engine/run/NodeReferences.h"

#include "engine/git/PackedReferences.h"
#include "engine/git/Repository.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace clade::engine {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPrefix = "refs/clade/nodes/";

bool isNumber(const std::string& text)
{
    return !text.empty() && text.size() < 10 &&
           text.find_first_not_of("0123456789") == std::string::npos;
}

// A loose reference as git writes it: 40 hex digits and a newline.
bool isWholeReference(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!text.empty() && text.back() == '\n')
        text.pop_back();
    return text.size() == 40 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Loose files first, before libgit2 reads them: it refuses to list references at all when
// one of them is damaged.
void removeDamagedLooseReferences(const fs::path& repo, int nextId)
{
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(repo / kPrefix, ec)) {
        const std::string name = entry.path().filename().string();
        const bool regular = entry.is_regular_file(ec) && !entry.is_symlink(ec);
        const bool damaged = !regular || !isNumber(name) || !isWholeReference(entry.path());
        if (!damaged && std::stoi(name) < nextId)
            continue;
        if (damaged)
            spdlog::warn("{}: removing damaged reference file (rewritten from the database)",
                         entry.path().string());
        fs::remove_all(entry.path(), ec);
    }
}

} // namespace

int repairNodeReferences(const RunFolder& folder, const std::vector<Node>& nodes, int nextId)
{
    removeDamagedLooseReferences(folder.repo(), nextId);
    if (const int dropped = git::dropDamagedPackedReferences(folder.repo()); dropped > 0)
        spdlog::warn("{}: dropped {} damaged line(s) of packed-refs (node references are "
                     "rewritten from the database)",
                     (folder.repo() / "packed-refs").string(), dropped);
    auto repo = git::Repository::openBare(folder.repo());
    // Packed references (an imported run keeps its node references packed).
    for (const auto& [ref, oid] : repo.listReferences(kPrefix)) {
        const std::string id = ref.substr(std::string(kPrefix).size());
        if (!isNumber(id) || std::stoi(id) >= nextId)
            repo.deleteReference(ref);
    }
    // Whatever is missing goes into packed-refs in one synced write: after a damaged
    // packed-refs file that may be every node of a large imported run.
    std::vector<std::pair<std::string, git::Oid>> missing;
    for (const auto& node : nodes) {
        if (node.commit.empty())
            continue;
        const git::Oid commit = git::Oid::fromHex(node.commit);
        const std::string name = RunFolder::nodeRef(node.id);
        const auto current = repo.lookupReference(name);
        if (current && *current == commit)
            continue;
        if (current)
            repo.deleteReference(name); // a loose one would shadow the packed entry
        missing.emplace_back(name, commit);
    }
    if (!git::addPackedReferences(folder.repo(), missing, /*sync=*/true))
        throw std::runtime_error((folder.repo() / "packed-refs.lock").string() +
                                 ": another process is writing references; expected none while "
                                 "this process owns the run");
    return static_cast<int>(missing.size());
}

} // namespace clade::engine
