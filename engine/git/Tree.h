#pragma once

#include "engine/git/Oid.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

struct git_repository;
struct git_tree;

namespace clade::git {

/// The modes a tree entry can have, with git's own values.
enum class FileMode {
    Unreadable = 0,
    Tree = 0040000,
    Blob = 0100644,
    BlobExecutable = 0100755,
    Link = 0120000,
    Commit = 0160000, ///< a submodule; never written by the engine
};

/// A tree object read from the repository (RAII over git_tree).
class Tree {
public:
    struct Entry {
        std::string name;
        Oid id;
        FileMode mode = FileMode::Unreadable;
    };

    /// Throws GitException if `id` is not a tree in `repo`.
    static Tree lookup(git_repository* repo, const Oid& id);

    Oid id() const;
    std::size_t size() const;
    Entry entry(std::size_t index) const;
    /// The entry at a slash-separated path below this tree; nullopt if there is none.
    std::optional<Entry> entryByPath(const std::string& path) const;

    git_tree* raw() const { return m_tree.get(); }
    git_repository* owner() const;

private:
    struct Deleter {
        void operator()(git_tree* tree) const;
    };
    explicit Tree(git_tree* tree) : m_tree(tree) {}

    std::unique_ptr<git_tree, Deleter> m_tree;
};

} // namespace clade::git
