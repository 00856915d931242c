#include "engine/strategy/Sampling.h"

#include <algorithm>

namespace clade::engine {

double sampleBeta(std::mt19937_64& rng, double a, double b)
{
    const double x = std::gamma_distribution<double>(a, 1.0)(rng);
    const double y = std::gamma_distribution<double>(b, 1.0)(rng);
    // Both draws underflow to 0 only for tiny shape parameters; call it a coin toss.
    if (x + y <= 0)
        return 0.5;
    return x / (x + y);
}

double solvedFraction(Direction direction, double score)
{
    const double solved = direction == Direction::Maximize ? score : 1.0 - score;
    return std::clamp(solved, 0.0, 1.0);
}

} // namespace clade::engine
