#pragma once

#include "engine/git/DiffStats.h"
#include "engine/git/Oid.h"
#include "engine/git/Signature.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

struct git_repository;

namespace clade::git {

/// A bare repository holding a run's snapshots (RAII over git_repository).
///
/// libgit2 objects are single-threaded: every thread opens its own Repository and none
/// is shared. Every method throws GitException when libgit2 fails; the message says
/// what was being done in which repository.
class Repository {
public:
    /// Creates a bare repository at `path` (and missing parent folders), or reopens the
    /// one already there.
    static Repository initBare(const std::filesystem::path& path);
    /// Opens an existing bare repository; throws GitException naming `path` if none.
    static Repository openBare(const std::filesystem::path& path);

    Repository(Repository&&) noexcept = default;
    Repository& operator=(Repository&&) noexcept = default;
    ~Repository() = default;

    /// The handle, for the wrappers (Commit, Tree, Blob) of this thread only.
    git_repository* raw() const { return m_repo.get(); }

    /// The repository folder (absolute).
    const std::filesystem::path& path() const { return m_path; }

    /// Snapshots the plain folder `dir` into a new commit with `parents` and returns its
    /// id; no reference moves. `ignorePatterns` use IgnoreRules syntax ("__pycache__/",
    /// "*.pyc", "data/cache.db"). An unchanged folder gives the same tree id, which is
    /// how callers detect an empty change.
    Oid commitDirectory(const std::filesystem::path& dir, const std::vector<Oid>& parents,
                        const std::string& message, const std::vector<std::string>& ignorePatterns,
                        const Signature& signature = {});

    Oid treeOf(const Oid& commit);
    std::vector<Oid> parentsOf(const Oid& commit);
    std::string messageOf(const Oid& commit);

    /// Creates or overwrites the direct reference `name` ("refs/clade/nodes/<id>").
    void setReference(const std::string& name, const Oid& target, const std::string& logMessage);
    /// Like setReference(), but the loose reference file is not synced to disk, which
    /// saves a node two fsyncs. For references that are derived data only: a run's node
    /// references mirror commit ids its database holds durably, and opening the run
    /// rewrites any that a power cut lost or left empty. Follows git's locking (a
    /// `<name>.lock` file created exclusively, then renamed) and writes no reflog. Throws
    /// GitException if `name` is not a valid reference name or the file cannot be written.
    void setDerivedReference(const std::string& name, const Oid& target);
    /// The commit `name` points to (following symbolic references); nullopt if absent.
    std::optional<Oid> lookupReference(const std::string& name);
    /// Removes `name`; does nothing if it does not exist.
    void deleteReference(const std::string& name);
    /// All references whose names start with `prefix`, sorted by name.
    std::vector<std::pair<std::string, Oid>> listReferences(const std::string& prefix);

    /// Writes the tree of `commit` into the plain folder `dir` (see checkoutTree()).
    void checkout(const Oid& commit, const std::filesystem::path& dir);
    /// The content of the file at `path` ("src/a.py") in `commit`; for a symlink, its
    /// target. nullopt if there is no such file (or it is a folder).
    std::optional<std::string> readFile(const Oid& commit, const std::string& path);

    /// Lines and files changed from `from` to `to`; a null `from` is the empty tree.
    DiffStats diffStats(const Oid& from, const Oid& to);
    /// The unified patch from `from` to `to`, formatted like `git diff`.
    std::string diffPatch(const Oid& from, const Oid& to, int contextLines = 3);

private:
    struct Deleter {
        void operator()(git_repository* repo) const;
    };
    explicit Repository(git_repository* repo);

    std::unique_ptr<git_repository, Deleter> m_repo;
    std::filesystem::path m_path;
};

} // namespace clade::git
