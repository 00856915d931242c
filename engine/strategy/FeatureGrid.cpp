#include "engine/strategy/FeatureGrid.h"

#include "engine/eval/EngineMetrics.h"

#include "engine/util/InputError.h"

#include <cmath>

namespace clade::engine {

std::vector<FeatureDimension> defaultFeatures()
{
    return {{kDiffSizeFeature, 0, 200, 10}};
}

std::vector<FeatureDimension> parseFeatures(const nlohmann::json& value)
{
    const std::string expected =
        "expected a non-empty array of {\"metric\": name, \"min\": number, \"max\": number "
        "above min, \"bins\": integer 1..1000}";
    if (!value.is_array() || value.empty())
        throw InputError("--param features: " + expected);
    std::vector<FeatureDimension> features;
    for (size_t i = 0; i < value.size(); ++i) {
        const auto& entry = value[i];
        const std::string where = "--param features[" + std::to_string(i) + "]: ";
        if (!entry.is_object())
            throw InputError(where + expected);
        FeatureDimension dimension;
        for (const auto& [key, field] : entry.items()) {
            if (key == "metric" && field.is_string() && !field.get<std::string>().empty())
                dimension.metric = field.get<std::string>();
            else if ((key == "min" || key == "max") && field.is_number())
                (key == "min" ? dimension.min : dimension.max) = field.get<double>();
            else if (key == "bins" && field.is_number_integer() && field.get<long long>() >= 1 &&
                     field.get<long long>() <= 1000)
                dimension.bins = field.get<int>();
            else
                throw InputError(where + "field '" + key + "': " + expected);
        }
        if (dimension.metric.empty() || !(dimension.max > dimension.min))
            throw InputError(where + expected);
        features.push_back(dimension);
    }
    long long cells = 1;
    for (const auto& f : features)
        if ((cells *= f.bins) > 1'000'000)
            throw InputError("--param features: expected at most 1,000,000 cells in all (the "
                             "product of the bins)");
    return features;
}

nlohmann::json toJson(const std::vector<FeatureDimension>& features)
{
    nlohmann::json array = nlohmann::json::array();
    for (const auto& f : features)
        array.push_back({{"metric", f.metric}, {"min", f.min}, {"max", f.max}, {"bins", f.bins}});
    return array;
}

double featureValue(const Node& node, const FeatureDimension& dimension)
{
    // Any metric by name, the engine's own included (clade.diff_lines, clade.solve_seconds).
    if (const auto value = metricValue(node, dimension.metric))
        return *value;
    if (dimension.metric == kDiffSizeFeature)
        return node.diff.insertions + node.diff.deletions;
    return dimension.min;
}

int binOf(double value, const FeatureDimension& dimension)
{
    if (!std::isfinite(value) || value <= dimension.min)
        return value >= dimension.max ? dimension.bins - 1 : 0;
    const double fraction = (value - dimension.min) / (dimension.max - dimension.min);
    const double bin = std::floor(fraction * dimension.bins);
    return bin >= dimension.bins ? dimension.bins - 1 : static_cast<int>(bin);
}

int cellOf(const Node& node, const std::vector<FeatureDimension>& dimensions)
{
    int cell = 0;
    for (const auto& dimension : dimensions)
        cell = cell * dimension.bins + binOf(featureValue(node, dimension), dimension);
    return cell;
}

} // namespace clade::engine
