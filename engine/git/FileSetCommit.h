#pragma once

#include "engine/git/Oid.h"
#include "engine/git/Signature.h"

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

struct git_repository;

namespace clade::git {

/// Commits a set of files held in memory (relative path -> content) without touching the
/// disk beyond the repository's objects: blobs, then one tree built through an in-memory
/// index, then the commit. Importers use it for versions that only exist as text in
/// another system's run files. Paths must be relative, '/'-separated and without "..";
/// a bad one throws std::invalid_argument naming it.
Oid commitFileSet(git_repository* repo, const std::map<std::string, std::string>& files,
                  const std::vector<Oid>& parents, const std::string& message,
                  const Signature& signature = {});

/// The tree of commit `base` with the unified diff `patch` (git or plain `diff -u` style)
/// applied, committed with `parents`. nullopt when the patch does not parse or does not
/// apply to that tree; `why` then says libgit2's reason.
std::optional<Oid> commitPatch(git_repository* repo, const Oid& base, const std::string& patch,
                               const std::vector<Oid>& parents, const std::string& message,
                               std::string& why, const Signature& signature = {});

/// The regular files of `commit`'s tree (path -> content) that `wanted` accepts; symlinks
/// and submodules are never read. Files over `maxBytes` are left out and their paths
/// added to `tooLarge` when given.
std::map<std::string, std::string>
readCommitFiles(git_repository* repo, const Oid& commit,
                const std::function<bool(const std::string& path)>& wanted,
                std::size_t maxBytes, std::vector<std::string>* tooLarge = nullptr);

/// The tree of commit `base` with `written` files created or replaced (an existing file
/// keeps its mode; a new one is 0644) and `deleted` ones removed, committed with `parents`.
/// Nothing touches the disk but the repository's objects, so edits a model wrote can never
/// follow a symlink the agent's code planted. Bad paths throw std::invalid_argument.
Oid commitEdits(git_repository* repo, const Oid& base,
                const std::map<std::string, std::string>& written,
                const std::vector<std::string>& deleted, const std::vector<Oid>& parents,
                const std::string& message, const Signature& signature = {});

} // namespace clade::git
