#pragma once

#include "engine/store/Node.h"

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace clade::engine {

/// One axis of a MAP-Elites grid: a metric from the score phase cut into equal bins.
struct FeatureDimension {
    std::string metric;
    double min = 0;
    double max = 1;
    int bins = 10;
};

/// Used when no features are configured: the size of a node's change (insertions +
/// deletions against its primary parent), which every node has whatever the evaluator
/// reports, so the grid keeps small and large edits apart.
inline constexpr const char* kDiffSizeFeature = "diff_size";
std::vector<FeatureDimension> defaultFeatures();

/// Parses the `features` parameter: [{"metric": name, "min": x, "max": y, "bins": n}, ...].
/// Throws InputError naming the parameter and the bad entry.
std::vector<FeatureDimension> parseFeatures(const nlohmann::json& value);
nlohmann::json toJson(const std::vector<FeatureDimension>& features);

/// A node's value on a dimension: its metric of that name; for "diff_size" without such a
/// metric, the diff's insertions + deletions. A missing metric reads as the dimension's
/// minimum, so a node is never dropped from the grid (a misspelled metric shows as
/// every node in the lowest bin, not as an empty grid).
double featureValue(const Node& node, const FeatureDimension& dimension);

/// Bin of `value`: floor((value - min) / (max - min) * bins), clamped to [0, bins - 1].
int binOf(double value, const FeatureDimension& dimension);

/// The node's cell: its bins in row-major order, the first dimension varying slowest.
int cellOf(const Node& node, const std::vector<FeatureDimension>& dimensions);

} // namespace clade::engine
