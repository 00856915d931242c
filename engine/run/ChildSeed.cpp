#include "engine/run/ChildSeed.h"

namespace clade::engine {

std::uint64_t childSeed(std::uint64_t runSeed, int childId)
{
    std::uint64_t z = runSeed * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(childId);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (z ^ (z >> 31)) & 0x7FFFFFFFFFFFull; // fits every scripting language's integers
}

} // namespace clade::engine
