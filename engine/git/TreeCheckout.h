#pragma once

#include <filesystem>

namespace clade::git {

class Tree;

/// Writes `tree` into the plain folder `dir`, byte for byte: no filters, no index, no .git.
/// Files get mode 0644, or 0755 for executable blobs (whatever the umask); links are
/// recreated as symlinks; submodule entries are skipped. `dir` is created if missing and
/// must be empty otherwise (std::filesystem::filesystem_error, directory_not_empty).
/// Throws GitException for a malformed tree. A failure part-way leaves a partial folder.
void checkoutTree(const Tree& tree, const std::filesystem::path& dir);

} // namespace clade::git
