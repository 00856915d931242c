#pragma once

#include <cstdint>

namespace clade::engine {

/// The proposer seed of a child: a SplitMix64 mix of the run seed and the child id, so a
/// child's proposal does not depend on which worker or in which order it ran.
std::uint64_t childSeed(std::uint64_t runSeed, int childId);

} // namespace clade::engine
