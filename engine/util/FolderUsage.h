#pragma once

#include <filesystem>
#include <string>

namespace clade::engine {

/// What a folder tree holds, as the sandbox's disk watchdog counts it (DiskWatch).
struct FolderUsage {
    /// Space allocated (st_blocks × 512, so a sparse file counts what it really uses), each
    /// inode once however many hard links it has.
    long long bytes = 0;
    /// Names in the tree, the folder itself included. A hard link counts like a file of
    /// its own, as tmpfs charges each link against nr_inodes; symlinks count too.
    long long entries = 0;
    /// Why a part of the tree could not be measured (a folder the engine may not read, or
    /// one deeper than kMaxDepth); empty when all of it was. Sandboxed code can make either
    /// on purpose to hide what it wrote, so the watchdog treats it as over the limit.
    std::string unmeasured;

    /// Folders deeper than this are not descended into: the walk holds one file
    /// descriptor per level.
    static constexpr int kMaxDepth = 64;
};

/// Walks `folder` with openat/fstatat from the folder's own descriptor, never following
/// a symlink (a symlink is one entry; what it points at is not counted) and not entering
/// another file system. Entries that vanish during the walk are skipped. Stops early, with
/// a partial count, once bytes reach `stopAtBytes` or entries reach `stopAtEntries` (0: no
/// early stop), which bounds the cost of a walk by the limit being checked. `folder` may
/// also be a file (one entry).
FolderUsage measureFolder(const std::filesystem::path& folder, long long stopAtBytes = 0,
                          long long stopAtEntries = 0);

} // namespace clade::engine
