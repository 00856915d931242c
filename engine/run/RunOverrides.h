#pragma once

#include "engine/run/RunConfig.h"

#include <optional>

namespace clade::engine {

/// What a person may change when a run is opened again (`clade resume --iterations 60`):
/// totals over the whole run, as run.json holds them, and saved there.
struct RunOverrides {
    std::optional<int> iterations;
    std::optional<int> workers;
    std::optional<double> maxMinutes;
    std::optional<int> maxTaskEvaluations;
    std::optional<double> maxCost;

    /// Sets in `settings` what is given here; true when that changed any of them.
    bool applyTo(RunSettings& settings) const;
};

} // namespace clade::engine
