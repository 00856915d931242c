#pragma once

#include "engine/importers/ImportedRun.h"

#include <optional>
#include <string>

namespace clade::engine {

/// ADAS fitness strings: "95% Bootstrap Confidence Interval: (23.4%, 39.1%), Median: 31.2%".
struct AdasFitness {
    double low = 0;    ///< percent
    double high = 0;   ///< percent
    double median = 0; ///< percent
    bool consistent() const { return low <= median && median <= high; }
};
/// nullopt when the text does not hold a median (a number alone counts as the median).
std::optional<AdasFitness> parseAdasFitness(const std::string& text);

/// Reads an ADAS archive (`*_run_archive.json` / `*_results.json`): a JSON array of agents
/// {thought, name, code, fitness, generation ("initial" or a number), test_fitness...}.
/// ADAS records no parents, so every agent hangs from a synthetic root, in generation
/// order (gaps in generation numbers are normal). Score: the fitness median as a fraction.
/// Entries that are not agents are skipped with a warning; an unreadable file throws
/// InputError naming it and the position.
ImportedRun readAdasRun(const std::filesystem::path& file);

} // namespace clade::engine
