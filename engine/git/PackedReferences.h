#pragma once

#include "engine/git/Oid.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace clade::git {

/// One `<target> <name>` line of a packed-refs file, with its peeled target (`^<oid>`
/// line, annotated tags) when there is one.
struct PackedReference {
    std::string name;
    std::string target;  // 40 hex digits
    std::string peeled;  // 40 hex digits or empty
};

/// What a packed-refs file holds: its header traits and every well-formed entry. Lines
/// that are not git's format (a file cut short or zero-filled by a crash) are counted in
/// `damagedLines` and left out.
struct PackedReferencesFile {
    std::string header; // "# pack-refs with: ..." or empty
    std::vector<PackedReference> refs;
    int damagedLines = 0;
};

/// Reads `<gitDir>/packed-refs`; a missing file reads as empty.
PackedReferencesFile readPackedReferences(const std::filesystem::path& gitDir);

/// Adds `refs` (name -> target, direct references to commits) to `<gitDir>/packed-refs`,
/// replacing entries of the same names and keeping every other entry, under git's
/// `packed-refs.lock` protocol so git and libgit2 never see a partial file. Loose refs of
/// the same names, which would shadow these, must not exist. `sync`: fsync the file and
/// the folder; without it the references are derived data a crash may lose. Returns
/// false, writing nothing, when another writer holds the lock. Throws GitException on I/O
/// errors.
bool addPackedReferences(const std::filesystem::path& gitDir,
                         const std::vector<std::pair<std::string, Oid>>& refs, bool sync);

/// Rewrites packed-refs without its damaged lines (synced), so libgit2, which refuses a
/// repository with a damaged packed-refs file, can read the rest. Returns how many
/// lines were dropped (0: the file was whole and is untouched).
int dropDamagedPackedReferences(const std::filesystem::path& gitDir);

} // namespace clade::git
