#pragma once

#include <string_view>

namespace clade::engine {

/// Whether `path` (relative to the agent folder, '/' separated) is covered by `pattern`:
/// the pattern matches the path itself or one of the folders leading to it, so "harness/"
/// and "harness" both cover "harness/x.py". Shell wildcards match within one component.
bool pathPatternCovers(std::string_view pattern, std::string_view path);

/// A relative path inside the agent folder: no leading '/', no '.', '..' or empty parts
/// (one trailing '/' marks a folder and is allowed).
bool isPlainRelativePath(std::string_view path);

} // namespace clade::engine
