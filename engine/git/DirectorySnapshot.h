#pragma once

#include "engine/git/IgnoreRules.h"
#include "engine/git/Oid.h"

#include <filesystem>
#include <optional>
#include <string>

struct git_repository;

namespace clade::git {

/// Writes a plain folder (not a git work tree) into the object database as blobs and
/// trees, so an unchanged folder always gives the same tree id.
///
/// Regular files keep only git's notion of mode (executable or not); symlinks are stored
/// as links, their target as content; folders left empty after ignoring are dropped;
/// ".git" entries (which a tree may not hold) and special files (fifos, sockets,
/// devices) are skipped.
class DirectorySnapshot {
public:
    DirectorySnapshot(git_repository* repo, IgnoreRules rules);

    /// The id of the tree for `dir`; the empty tree if nothing in it is kept. Throws
    /// GitException, or std::filesystem::filesystem_error / std::system_error for
    /// files that cannot be read.
    Oid writeTree(const std::filesystem::path& dir);

private:
    /// nullopt when nothing below `dir` is kept. `relative` is "" for the root.
    std::optional<Oid> writeFolder(const std::filesystem::path& dir, const std::string& relative);

    git_repository* m_repo;
    IgnoreRules m_rules;
};

} // namespace clade::git
