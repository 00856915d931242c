#pragma once

#include "engine/manifest/Manifest.h"

#include <random>

namespace clade::engine {

/// A draw from Beta(a, b) as X / (X + Y) with X ~ Gamma(a, 1), Y ~ Gamma(b, 1).
/// std::gamma_distribution's algorithm is the standard library's own, so a seed gives the
/// same draws on one toolchain (libstdc++), not necessarily across standard libraries.
double sampleBeta(std::mt19937_64& rng, double a, double b);

/// A node's score as a fraction solved in [0, 1], the scale hgm's Beta posteriors and
/// dgm's sigmoid assume: the score itself when maximized, 1 − score when minimized (an
/// error rate). Clamped, so a score outside [0, 1] cannot make a Beta parameter negative.
double solvedFraction(Direction direction, double score);

} // namespace clade::engine
