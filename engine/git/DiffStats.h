#pragma once

#include <string>
#include <vector>

namespace clade::git {

/// One file in a diff between two commits. Lines are counted like `git diff --numstat`;
/// a binary file counts no lines.
struct FileChange {
    std::string oldPath;
    std::string newPath;
    char status = 'M'; ///< 'A'dded, 'D'eleted, 'M'odified, 'R'enamed, 'T'ype changed
    int insertions = 0;
    int deletions = 0;
    bool binary = false;
};

/// Size of the change between two commits, file by file.
struct DiffStats {
    int filesChanged = 0;
    int insertions = 0;
    int deletions = 0;
    std::vector<FileChange> files; ///< sorted by path, as libgit2 reports them
};

} // namespace clade::git
