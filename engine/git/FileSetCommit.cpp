#include "engine/git/FileSetCommit.h"

#include "engine/git/Commit.h"
#include "engine/git/Error.h"
#include "engine/git/PackedWrites.h"
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

void requireSafePath(const std::string& path, const char* what)
{
    if (!isSafeRelativePath(path))
        throw std::invalid_argument(std::string("cannot ") + what + " the file '" + path +
                                    "': expected a relative path without '..' or '.git'");
}

git_oid writeBlob(git_repository* repo, const std::string& path, const std::string& content)
{
    requireSafePath(path, "write");
    git_oid blob;
    if (const int rc = git_blob_create_from_buffer(&blob, repo, content.data(), content.size());
        rc < 0)
        throwLastError(rc, "write the blob of " + path, repo);
    return blob;
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
        const git_oid blob = writeBlob(repo, path, content);
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

std::map<std::string, std::string>
readCommitFiles(git_repository* repo, const Oid& commit,
                const std::function<bool(const std::string& path)>& wanted, std::size_t maxBytes,
                std::vector<std::string>* tooLarge)
{
    struct Walk {
        git_repository* repo;
        const std::function<bool(const std::string&)>& wanted;
        std::size_t maxBytes;
        std::vector<std::string>* tooLarge;
        std::map<std::string, std::string> files;
    } walk{repo, wanted, maxBytes, tooLarge, {}};
    const Tree tree = Tree::lookup(repo, Commit::lookup(repo, commit).treeId());
    const auto visit = [](const char* root, const git_tree_entry* entry, void* payload) -> int {
        auto& w = *static_cast<Walk*>(payload);
        const git_filemode_t mode = git_tree_entry_filemode(entry);
        if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
            return 0;
        const std::string path = std::string(root) + git_tree_entry_name(entry);
        if (!w.wanted(path))
            return 0;
        git_blob* blob = nullptr;
        if (git_blob_lookup(&blob, w.repo, git_tree_entry_id(entry)) < 0)
            return -1;
        const auto size = static_cast<std::size_t>(git_blob_rawsize(blob));
        if (size > w.maxBytes) {
            if (w.tooLarge)
                w.tooLarge->push_back(path);
        } else {
            w.files[path].assign(static_cast<const char*>(git_blob_rawcontent(blob)), size);
        }
        git_blob_free(blob);
        return 0;
    };
    if (const int rc = git_tree_walk(tree.raw(), GIT_TREEWALK_PRE, visit, &walk); rc < 0)
        throwLastError(rc, "read the files of commit " + commit.hex(), repo);
    return std::move(walk.files);
}

Oid commitEdits(git_repository* repo, const Oid& base,
                const std::map<std::string, std::string>& written,
                const std::vector<std::string>& deleted, const std::vector<Oid>& parents,
                const std::string& message, const Signature& signature)
{
    const Tree tree = Tree::lookup(repo, Commit::lookup(repo, base).treeId());
    PackedWriteScope pack(repo); // the new blobs, trees and commit: one pack
    std::vector<git_tree_update> updates;
    updates.reserve(written.size() + deleted.size());
    for (const auto& [path, content] : written) {
        const git_oid blob = writeBlob(repo, path, content);
        const auto existing = tree.entryByPath(path);
        git_tree_update update{};
        update.action = GIT_TREE_UPDATE_UPSERT;
        update.id = blob;
        update.filemode = existing && existing->mode == FileMode::BlobExecutable
                              ? GIT_FILEMODE_BLOB_EXECUTABLE
                              : GIT_FILEMODE_BLOB;
        update.path = path.c_str();
        updates.push_back(update);
    }
    for (const auto& path : deleted) {
        requireSafePath(path, "delete");
        git_tree_update update{};
        update.action = GIT_TREE_UPDATE_REMOVE;
        update.path = path.c_str();
        updates.push_back(update);
    }
    git_oid result;
    if (const int rc = git_tree_create_updated(&result, repo, tree.raw(), updates.size(),
                                               updates.data());
        rc < 0)
        throwLastError(rc, "write the edited tree", repo);
    const Oid commit = Commit::create(repo, Oid::fromGit(result), parents, message, signature);
    pack.commit();
    return commit;
}

} // namespace clade::git
