#pragma once

#include <cstddef>
#include <string_view>

namespace clade::engine {

/// Levenshtein distance: the fewest single-character insertions, deletions and substitutions
/// that turn `a` into `b`. For "did you mean" hints (manifest keys, a model's misquoted line);
/// costs a.size() * b.size().
std::size_t editDistance(std::string_view a, std::string_view b);

} // namespace clade::engine
