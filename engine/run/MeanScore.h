#pragma once

#include <map>
#include <optional>
#include <string>

namespace clade::engine {

/// A node's primary score: the mean of its per-task results, or nullopt when there are none.
std::optional<double> meanScore(const std::map<std::string, double>& results);

} // namespace clade::engine
