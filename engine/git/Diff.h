#pragma once

#include "engine/git/DiffStats.h"

#include <memory>
#include <string>

struct git_diff;
struct git_repository;

namespace clade::git {

class Tree;

/// The differences between two trees (RAII over git_diff), the way `git diff` sees them:
/// renames are detected, whatever the user's config says.
class Diff {
public:
    /// `from` or `to` may be null, standing for the empty tree.
    static Diff between(git_repository* repo, const Tree* from, const Tree* to,
                        int contextLines = 3);

    /// Per-file counts like `git diff --numstat`; a file that became a link (or back)
    /// is one 'T' entry.
    DiffStats stats() const;
    /// Unified patch text in git's format, as `git diff` prints it.
    std::string patch() const;

private:
    struct Deleter {
        void operator()(git_diff* diff) const;
    };
    Diff(git_diff* diff, git_repository* repo) : m_diff(diff), m_repo(repo) {}

    std::unique_ptr<git_diff, Deleter> m_diff;
    git_repository* m_repo; ///< for error messages
};

} // namespace clade::git
