#pragma once

#include "engine/git/Oid.h"

#include <filesystem>
#include <string>
#include <vector>

namespace clade::git {

/// One object as git stores it: its id, its type (git_object_t: 1 commit, 2 tree, 3 blob,
/// 4 tag) and its content without git's "type size\0" header.
struct PackObject {
    Oid id;
    int type = 0;
    std::string data;
};

/// Writes `objects` as one pack and its version-2 index into `packDir` (a repository's
/// objects/pack), durably: each file is written under a temporary name, the pack fsynced,
/// the pack renamed into place before its index (a reader finds packs by their index),
/// and the folder synced once. The index is not fsynced: it is derived from the pack, and
/// after a crash repairPackFolder() rebuilds it from there. Two file creations and two
/// syncs for any number of objects, where loose objects cost one creation and two syncs
/// each. Objects are stored
/// whole (no deltas), zlib-compressed. Returns the pack's name ("pack-<sha1>"). Throws
/// std::runtime_error / std::system_error on failure, leaving no pack behind.
std::string writePack(const std::filesystem::path& packDir, const std::vector<PackObject>& objects);

/// Whether `idxFile` is a whole version-2 index of `packFile`: its own checksum holds and
/// it names the pack's checksum and object count. False for anything a crash may leave
/// of an index written without fsync (missing, empty, cut short, zero-filled).
bool packIndexIsWhole(const std::filesystem::path& idxFile, const std::filesystem::path& packFile);

/// The ids listed in a version-2 pack index file, in index order. Throws
/// std::runtime_error naming the file if it is not one.
std::vector<Oid> readPackIndexIds(const std::filesystem::path& idxFile);

} // namespace clade::git
