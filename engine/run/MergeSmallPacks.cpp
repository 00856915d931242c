#include "engine/run/MergeSmallPacks.h"

#include "engine/git/PackedWrites.h"
#include "engine/git/Repository.h"

#include <spdlog/spdlog.h>

namespace clade::engine {

void mergeSmallPacks(const RunFolder& folder)
{
    try {
        auto repo = git::Repository::openBare(folder.repo());
        if (const int merged = git::consolidatePacks(repo.raw()); merged > 0)
            spdlog::debug("{}: merged {} packs", folder.repo().string(), merged);
    } catch (const std::exception& e) {
        // Only lookups get slower; nothing is lost.
        spdlog::warn("{}: could not merge packs: {}", folder.repo().string(), e.what());
    }
}

} // namespace clade::engine
