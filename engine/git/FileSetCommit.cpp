#include "engine/git/FileSetCommit.h"

#include "engine/git/Commit.h"
#include "engine/git/Error.h"
#include "engine/git/Tree.h"

#include <git2.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace clade::git {
namespace {

struct IndexDeleter {
    void operator()(git_index* index) const { git_index_free(index); }
};

bool isSafeRelativePath(const std::string& path)
{
    if (path.empty() || path.front() == '/' || path.back() == '/')
        return false;
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        const std::string part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == ".." || part == ".git")
            return false;
        start = end + 1;
    }
    return path.find('\0') == std::string::npos;
}

} // namespace

Oid commitFileSet(git_repository* repo, const std::map<std::string, std::string>& files,
                  const std::vector<Oid>& parents, const std::string& message,
                  const Signature& signature)
{
    git_index* raw = nullptr;
    if (const int rc = git_index_new(&raw); rc < 0)
        throwLastError(rc, "create an in-memory index", repo);
    const std::unique_ptr<git_index, IndexDeleter> index(raw);
    for (const auto& [path, content] : files) {
        if (!isSafeRelativePath(path))
            throw std::invalid_argument("cannot commit the file '" + path +
                                        "': expected a relative path without '..' or '.git'");
        git_oid blob;
        if (const int rc = git_blob_create_from_buffer(&blob, repo, content.data(), content.size());
            rc < 0)
            throwLastError(rc, "write the blob of " + path, repo);
        git_index_entry entry;
        std::memset(&entry, 0, sizeof entry);
        entry.mode = GIT_FILEMODE_BLOB;
        entry.id = blob;
        entry.path = path.c_str();
        if (const int rc = git_index_add(index.get(), &entry); rc < 0)
            throwLastError(rc, "add " + path + " to the tree", repo);
    }
    git_oid tree;
    if (const int rc = git_index_write_tree_to(&tree, index.get(), repo); rc < 0)
        throwLastError(rc, "write the tree", repo);
    return Commit::create(repo, Oid::fromGit(tree), parents, message, signature);
}

std::optional<Oid> commitPatch(git_repository* repo, const Oid& base, const std::string& patch,
                               const std::vector<Oid>& parents, const std::string& message,
                               std::string& why, const Signature& signature)
{
    const auto lastError = [] {
        const git_error* error = git_error_last();
        return std::string(error && error->message ? error->message : "unknown libgit2 error");
    };
    git_diff* rawDiff = nullptr;
    if (git_diff_from_buffer(&rawDiff, patch.data(), patch.size()) < 0) {
        why = "the patch does not parse: " + lastError();
        return std::nullopt;
    }
    const std::unique_ptr<git_diff, void (*)(git_diff*)> diff(rawDiff, git_diff_free);
    const Tree tree = Tree::lookup(repo, Commit::lookup(repo, base).treeId());
    git_index* rawIndex = nullptr;
    if (git_apply_to_tree(&rawIndex, repo, tree.raw(), diff.get(), nullptr) < 0) {
        why = "the patch does not apply: " + lastError();
        return std::nullopt;
    }
    const std::unique_ptr<git_index, IndexDeleter> index(rawIndex);
    git_oid result;
    if (const int rc = git_index_write_tree_to(&result, index.get(), repo); rc < 0)
        throwLastError(rc, "write the patched tree", repo);
    return Commit::create(repo, Oid::fromGit(result), parents, message, signature);
}

} // namespace clade::git
