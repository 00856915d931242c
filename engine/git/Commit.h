#pragma once

#include "engine/git/Oid.h"
#include "engine/git/Signature.h"

#include <memory>
#include <string>
#include <vector>

struct git_commit;
struct git_repository;

namespace clade::git {

class Tree;

/// A commit object (RAII over git_commit).
class Commit {
public:
    /// Throws GitException if `id` is not a commit in `repo`.
    static Commit lookup(git_repository* repo, const Oid& id);
    /// Writes a commit object for `tree` with `parents` (in order) and moves no reference.
    static Oid create(git_repository* repo, const Oid& tree, const std::vector<Oid>& parents,
                      const std::string& message, const Signature& signature);

    Oid id() const;
    Oid treeId() const;
    Tree tree() const;
    std::vector<Oid> parentIds() const;
    /// The full message as stored (not re-encoded, not trimmed).
    std::string message() const;

private:
    struct Deleter {
        void operator()(git_commit* commit) const;
    };
    explicit Commit(git_commit* commit) : m_commit(commit) {}

    std::unique_ptr<git_commit, Deleter> m_commit;
};

} // namespace clade::git
