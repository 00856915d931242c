#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

// The libgit2 wrappers live in clade::git (declaring them inside clade::engine would name
// different, never-defined classes).
namespace clade::git {
class Repository;
class Oid;
} // namespace clade::git

namespace clade::engine {

/// One file of a candidate's change against its parent.
struct FileChange {
    enum class Kind { Added, Modified, Deleted };
    std::string path; ///< relative to the agent folder, '/' separated
    std::string oldPath; ///< the path before a rename; empty otherwise
    Kind kind = Kind::Modified;
    /// Either side is binary, or larger than kMaxReviewedFileBytes (texts are then empty).
    bool binary = false;
    bool becameExecutable = false; ///< the new version has an exec bit the old one lacked
    std::string oldText;           ///< whole old contents ("" when added or binary)
    std::string newText;           ///< whole new contents ("" when deleted or binary)
    int insertions = 0;
    int deletions = 0;
};

/// Files above this size are treated as binary: nobody reviews them line by line, and
/// reading them whole would cost the engine memory a candidate controls.
inline constexpr std::size_t kMaxReviewedFileBytes = 2 * 1024 * 1024;

/// A candidate's change against its parent, whole texts included, for the risk detectors.
struct ChangeSet {
    std::vector<FileChange> files;

    int insertions() const;
    int deletions() const;
};

/// The change from commit `parent` to commit `child` in `repo`, files sorted by path;
/// renames are detected (kind Modified, `oldPath` set). A null `parent` is the empty tree.
/// Throws GitException when a commit is missing.
ChangeSet changeSetBetween(git::Repository& repo, const git::Oid& parent, const git::Oid& child);

/// The lines the change adds to a file: (1-based line number in newText, line text).
std::vector<std::pair<int, std::string>> addedLines(const FileChange& change);

} // namespace clade::engine
