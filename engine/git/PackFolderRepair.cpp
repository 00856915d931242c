#include "engine/git/PackFolderRepair.h"

#include "engine/git/Error.h"
#include "engine/git/PackWriter.h"

#include <git2.h>

#include <fstream>
#include <memory>

namespace clade::git {
namespace {

namespace fs = std::filesystem;

bool isTemporary(const std::string& name)
{
    // Ours (AtomicFile, PackWriter) and libgit2's indexer ("pack_git2_XXXXXX").
    return name.find(".tmp-") != std::string::npos || name.rfind("pack_git2_", 0) == 0;
}

// git's own index-pack, through libgit2: reads the pack, writes pack-<sha>.pack and .idx
// beside it (the same name, since the name is the pack's checksum), fsynced when the
// library's fsync option is on.
void rebuildIndex(const fs::path& pack)
{
    git_indexer* raw = nullptr;
    git_indexer_options options = GIT_INDEXER_OPTIONS_INIT;
    if (const int rc = git_indexer_new(&raw, pack.parent_path().c_str(), 0, nullptr, &options); rc < 0)
        throwLastError(rc, "index " + pack.string());
    const std::unique_ptr<git_indexer, void (*)(git_indexer*)> indexer(raw, &git_indexer_free);
    std::ifstream in(pack, std::ios::binary);
    std::string chunk(1 << 20, '\0');
    git_indexer_progress progress{};
    while (in) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got == 0)
            break;
        if (const int rc = git_indexer_append(indexer.get(), chunk.data(), got, &progress); rc < 0)
            throwLastError(rc, "index " + pack.string());
    }
    if (const int rc = git_indexer_commit(indexer.get(), &progress); rc < 0)
        throwLastError(rc, "index " + pack.string());
}

} // namespace

PackFolderRepair repairPackFolder(const fs::path& repoDir)
{
    const fs::path folder = repoDir / "objects" / "pack";
    PackFolderRepair repair;
    std::error_code ec;
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(folder, ec))
        entries.push_back(entry.path());
    for (const fs::path& path : entries) {
        const std::string name = path.filename().string();
        fs::path partner = path;
        const bool unfinished =
            isTemporary(name) ||
            (path.extension() == ".pack" && !fs::exists(partner.replace_extension(".idx"), ec)) ||
            (path.extension() == ".idx" && !fs::exists(partner.replace_extension(".pack"), ec));
        if (unfinished && fs::remove(path, ec))
            ++repair.removed;
    }
    for (const fs::path& path : entries) {
        if (path.extension() != ".pack" || !fs::exists(path, ec))
            continue;
        fs::path idx = path;
        idx.replace_extension(".idx");
        if (packIndexIsWhole(idx, path))
            continue;
        fs::remove(idx, ec); // no reader may use it meanwhile
        try {
            rebuildIndex(path);
            ++repair.rebuilt;
        } catch (const std::exception&) {
            fs::rename(path, fs::path(path.string() + ".damaged"), ec);
            repair.damaged.push_back(path.string());
        }
    }
    return repair;
}

} // namespace clade::git
