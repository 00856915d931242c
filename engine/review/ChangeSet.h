#pragma once

#include <string>
#include <utility>
#include <vector>

namespace clade::git {
class Repository;
class Oid;
} // namespace clade::git

namespace clade::engine {

/// One file of a candidate's change against its parent.
struct FileChange {
    enum class Kind { Added, Modified, Deleted };
    std::string path; ///< relative to the agent folder, '/' separated
    Kind kind = Kind::Modified;
    bool binary = false;           ///< either side is binary (texts are then empty)
    bool becameExecutable = false; ///< the new version has an exec bit the old one lacked
    std::string oldText;           ///< whole old contents ("" when added or binary)
    std::string newText;           ///< whole new contents ("" when deleted or binary)
    int insertions = 0;
    int deletions = 0;
};

/// A candidate's change against its parent, whole texts included, for the risk detectors.
struct ChangeSet {
    std::vector<FileChange> files;

    int insertions() const;
    int deletions() const;
};

/// The change from commit `parent` to commit `child` in `repo`.
ChangeSet changeSetBetween(git::Repository& repo, const git::Oid& parent, const git::Oid& child);

/// The lines the change adds to a file: (1-based line number in newText, line text).
std::vector<std::pair<int, std::string>> addedLines(const FileChange& change);

} // namespace clade::engine
