#include "engine/git/Repository.h"

#include "engine/git/Blob.h"
#include "engine/git/Commit.h"
#include "engine/git/Diff.h"
#include "engine/git/DirectorySnapshot.h"
#include "engine/git/Error.h"
#include "engine/git/Library.h"
#include "engine/git/PackedWrites.h"
#include "engine/git/Tree.h"
#include "engine/git/TreeCheckout.h"
#include "engine/util/UniqueFd.h"

#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

#include <git2.h>

#include <algorithm>

namespace clade::git {
namespace {

namespace fs = std::filesystem;

struct ReferenceDeleter {
    void operator()(git_reference* reference) const { git_reference_free(reference); }
};
using ReferencePtr = std::unique_ptr<git_reference, ReferenceDeleter>;

struct ReferenceIteratorDeleter {
    void operator()(git_reference_iterator* iterator) const
    {
        git_reference_iterator_free(iterator);
    }
};

// The tree a diff side stands for: none (the empty tree) for a null id.
std::optional<Tree> treeForDiff(git_repository* repo, const Oid& commit)
{
    if (commit.isNull())
        return std::nullopt;
    return Commit::lookup(repo, commit).tree();
}

} // namespace

void Repository::Deleter::operator()(git_repository* repo) const
{
    git_repository_free(repo);
}

Repository::Repository(git_repository* repo)
    : m_repo(repo), m_path(fs::path(git_repository_path(repo)).parent_path())
{
}

Repository Repository::initBare(const fs::path& path)
{
    ensureInitialized();
    git_repository* raw = nullptr;
    if (const int rc = git_repository_init(&raw, path.c_str(), /*is_bare=*/1); rc < 0)
        throwLastError(rc, "create repository " + path.string());
    Repository repo(raw);

    // No reflog (bare repositories keep none by default): a node's ref is written once and
    // the run's event log already records why; a reflog would double the fsyncs per node.

    // All 256 object fan-out folders up front, synced once: otherwise the first few hundred
    // nodes each pay for creating and syncing new folders while committing (a folder create
    // costs up to a millisecond on some disks), and a long run has them all anyway.
    const fs::path objects = path / "objects";
    char name[3];
    for (int i = 0; i < 256; ++i) {
        std::snprintf(name, sizeof name, "%02x", i);
        fs::create_directory(objects / name);
    }
    const engine::UniqueFd objectsFd(::open(objects.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (objectsFd)
        ::fsync(objectsFd.get());
    return repo;
}

Repository Repository::openBare(const fs::path& path)
{
    ensureInitialized();
    git_repository* raw = nullptr;
    if (const int rc = git_repository_open_bare(&raw, path.c_str()); rc < 0)
        throwLastError(rc, "open repository " + path.string());
    return Repository(raw);
}

Oid Repository::commitDirectory(const fs::path& dir, const std::vector<Oid>& parents,
                                const std::string& message,
                                const std::vector<std::string>& ignorePatterns,
                                const Signature& signature)
{
    if (!fs::is_directory(dir))
        throw fs::filesystem_error("cannot snapshot " + dir.string() + " into " + m_path.string(),
                                   dir, std::make_error_code(std::errc::not_a_directory));
    PackedWriteScope pack(m_repo.get()); // the new blobs, trees and commit: one pack
    DirectorySnapshot snapshot(m_repo.get(), IgnoreRules(ignorePatterns));
    const Oid tree = snapshot.writeTree(dir);
    const Oid commit = Commit::create(m_repo.get(), tree, parents, message, signature);
    pack.commit();
    return commit;
}

Oid Repository::treeOf(const Oid& commit)
{
    return Commit::lookup(m_repo.get(), commit).treeId();
}

std::vector<Oid> Repository::parentsOf(const Oid& commit)
{
    return Commit::lookup(m_repo.get(), commit).parentIds();
}

std::string Repository::messageOf(const Oid& commit)
{
    return Commit::lookup(m_repo.get(), commit).message();
}

void Repository::setReference(const std::string& name, const Oid& target,
                              const std::string& logMessage)
{
    const git_oid id = target.toGit();
    git_reference* raw = nullptr;
    if (const int rc = git_reference_create(&raw, m_repo.get(), name.c_str(), &id,
                                            /*force=*/1, logMessage.c_str());
        rc < 0)
        throwLastError(rc, "set reference " + name, m_repo.get());
    git_reference_free(raw);
}

std::optional<Oid> Repository::lookupReference(const std::string& name)
{
    git_oid id;
    const int rc = git_reference_name_to_id(&id, m_repo.get(), name.c_str());
    if (rc == GIT_ENOTFOUND)
        return std::nullopt;
    if (rc < 0)
        throwLastError(rc, "look up reference " + name, m_repo.get());
    return Oid::fromGit(id);
}

void Repository::deleteReference(const std::string& name)
{
    const int rc = git_reference_remove(m_repo.get(), name.c_str());
    if (rc < 0 && rc != GIT_ENOTFOUND)
        throwLastError(rc, "delete reference " + name, m_repo.get());
}

std::vector<std::pair<std::string, Oid>> Repository::listReferences(const std::string& prefix)
{
    // Valid reference names cannot hold glob characters, so prefix + "*" matches exactly
    // the names starting with prefix ("*" crosses "/" here), and the loose-reference scan
    // only walks the folder under the prefix.
    const std::string glob = prefix + "*";
    git_reference_iterator* rawIterator = nullptr;
    if (const int rc = git_reference_iterator_glob_new(&rawIterator, m_repo.get(), glob.c_str());
        rc < 0)
        throwLastError(rc, "list references " + glob, m_repo.get());
    const std::unique_ptr<git_reference_iterator, ReferenceIteratorDeleter> iterator(rawIterator);

    std::vector<std::pair<std::string, Oid>> references;
    for (;;) {
        git_reference* rawReference = nullptr;
        const int rc = git_reference_next(&rawReference, iterator.get());
        if (rc == GIT_ITEROVER)
            break;
        if (rc < 0)
            throwLastError(rc, "list references " + glob, m_repo.get());
        ReferencePtr reference(rawReference);
        const std::string name = git_reference_name(reference.get());
        if (name.compare(0, prefix.size(), prefix) != 0)
            continue;
        if (git_reference_type(reference.get()) != GIT_REFERENCE_DIRECT) {
            git_reference* resolved = nullptr;
            if (const int resolveRc = git_reference_resolve(&resolved, reference.get());
                resolveRc < 0)
                throwLastError(resolveRc, "resolve reference " + name, m_repo.get());
            reference.reset(resolved);
        }
        references.emplace_back(name, Oid::fromGit(*git_reference_target(reference.get())));
    }
    std::sort(references.begin(), references.end());
    return references;
}

void Repository::checkout(const Oid& commit, const fs::path& dir)
{
    checkoutTree(Commit::lookup(m_repo.get(), commit).tree(), dir);
}

std::optional<std::string> Repository::readFile(const Oid& commit, const std::string& path)
{
    const Tree tree = Commit::lookup(m_repo.get(), commit).tree();
    const std::optional<Tree::Entry> entry = tree.entryByPath(path);
    if (!entry || (entry->mode != FileMode::Blob && entry->mode != FileMode::BlobExecutable &&
                   entry->mode != FileMode::Link))
        return std::nullopt;
    return std::string(Blob::lookup(m_repo.get(), entry->id).content());
}

DiffStats Repository::diffStats(const Oid& from, const Oid& to)
{
    const std::optional<Tree> fromTree = treeForDiff(m_repo.get(), from);
    const std::optional<Tree> toTree = treeForDiff(m_repo.get(), to);
    return Diff::between(m_repo.get(), fromTree ? &*fromTree : nullptr, toTree ? &*toTree : nullptr)
        .stats();
}

std::string Repository::diffPatch(const Oid& from, const Oid& to, int contextLines)
{
    const std::optional<Tree> fromTree = treeForDiff(m_repo.get(), from);
    const std::optional<Tree> toTree = treeForDiff(m_repo.get(), to);
    return Diff::between(m_repo.get(), fromTree ? &*fromTree : nullptr, toTree ? &*toTree : nullptr,
                         contextLines)
        .patch();
}

} // namespace clade::git
