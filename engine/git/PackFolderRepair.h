#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace clade::git {

/// What repairPackFolder() did.
struct PackFolderRepair {
    int removed = 0;                 ///< unfinished files taken away
    int rebuilt = 0;                 ///< indexes rebuilt from their packs
    std::vector<std::string> damaged; ///< packs that could not be read, set aside as *.damaged
};

/// Puts a repository's objects/pack back in order after a crash; call with the run's
/// owner lock held, before anything reads objects. It removes what a writer killed
/// mid-pack leaves (temporary files, a pack whose index was never renamed into place,
/// an index without its pack) and rebuilds, from the pack, an index that is not whole
/// (writePack() does not fsync indexes). A pack that cannot be indexed is renamed to
/// `<name>.pack.damaged`, kept for a person to look at, never deleted.
PackFolderRepair repairPackFolder(const std::filesystem::path& repoDir);

} // namespace clade::git
