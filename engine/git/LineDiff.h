#pragma once

#include <string_view>
#include <vector>

namespace clade::git {

/// The 1-based numbers of the lines of `newText` that a diff from `oldText` marks as
/// added, exactly as `git diff` would (libgit2's line diff, no context). Empty for
/// binary contents.
std::vector<int> addedLineNumbers(std::string_view oldText, std::string_view newText);

} // namespace clade::git
