#pragma once

#include <filesystem>
#include <string>

namespace clade::engine {

/// SHA-256 over a folder's regular files (sorted relative paths, executable bits and
/// contents). Symlinks and special files are refused with an InputError, because a
/// harness that points outside itself cannot be pinned.
std::string hashFolder(const std::filesystem::path& folder);

/// Copies a folder's regular files (keeping executable bits) into `target`, which must not
/// exist; every file is fsynced. Throws InputError for symlinks/special files.
void copyFolder(const std::filesystem::path& source, const std::filesystem::path& target);

/// Throws InputError when `folder`'s hash is not `expectedSha256` — the evaluation
/// contract: scores come only from the harness recorded in run.json.
void verifyHarness(const std::filesystem::path& folder, const std::string& expectedSha256);

} // namespace clade::engine
