#include "engine/run/MeanScore.h"

namespace clade::engine {

std::optional<double> meanScore(const std::map<std::string, double>& results)
{
    if (results.empty())
        return std::nullopt;
    double sum = 0;
    for (const auto& [task, score] : results)
        sum += score;
    return sum / static_cast<double>(results.size());
}

} // namespace clade::engine
