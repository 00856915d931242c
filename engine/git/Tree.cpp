#include "engine/git/Tree.h"

#include "engine/git/Error.h"

#include <git2.h>

namespace clade::git {
namespace {

static_assert(static_cast<int>(FileMode::Tree) == GIT_FILEMODE_TREE);
static_assert(static_cast<int>(FileMode::Blob) == GIT_FILEMODE_BLOB);
static_assert(static_cast<int>(FileMode::BlobExecutable) == GIT_FILEMODE_BLOB_EXECUTABLE);
static_assert(static_cast<int>(FileMode::Link) == GIT_FILEMODE_LINK);
static_assert(static_cast<int>(FileMode::Commit) == GIT_FILEMODE_COMMIT);

Tree::Entry toEntry(const git_tree_entry* entry)
{
    return {git_tree_entry_name(entry), Oid::fromGit(*git_tree_entry_id(entry)),
            static_cast<FileMode>(git_tree_entry_filemode(entry))};
}

} // namespace

void Tree::Deleter::operator()(git_tree* tree) const
{
    git_tree_free(tree);
}

Tree Tree::lookup(git_repository* repo, const Oid& id)
{
    const git_oid gitId = id.toGit();
    git_tree* tree = nullptr;
    if (const int rc = git_tree_lookup(&tree, repo, &gitId); rc < 0)
        throwLastError(rc, "look up tree " + id.hex(), repo);
    return Tree(tree);
}

Oid Tree::id() const
{
    return Oid::fromGit(*git_tree_id(m_tree.get()));
}

std::size_t Tree::size() const
{
    return git_tree_entrycount(m_tree.get());
}

Tree::Entry Tree::entry(std::size_t index) const
{
    return toEntry(git_tree_entry_byindex(m_tree.get(), index));
}

std::optional<Tree::Entry> Tree::entryByPath(const std::string& path) const
{
    git_tree_entry* found = nullptr;
    const int rc = git_tree_entry_bypath(&found, m_tree.get(), path.c_str());
    if (rc == GIT_ENOTFOUND)
        return std::nullopt;
    if (rc < 0)
        throwLastError(rc, "find '" + path + "' in tree " + id().hex(), owner());
    // Unlike entries got by index, this one is a copy the caller owns.
    const std::unique_ptr<git_tree_entry, decltype(&git_tree_entry_free)> owned(
        found, &git_tree_entry_free);
    return toEntry(owned.get());
}

git_repository* Tree::owner() const
{
    return git_tree_owner(m_tree.get());
}

} // namespace clade::git
