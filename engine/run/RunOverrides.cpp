#include "engine/run/RunOverrides.h"

namespace clade::engine {

bool RunOverrides::applyTo(RunSettings& settings) const
{
    bool changed = false;
    const auto apply = [&changed](auto& setting, const auto& value) {
        if (value && *value != setting) {
            setting = *value;
            changed = true;
        }
    };
    apply(settings.iterations, iterations);
    apply(settings.workers, workers);
    apply(settings.maxMinutes, maxMinutes);
    apply(settings.maxTaskEvaluations, maxTaskEvaluations);
    apply(settings.maxCost, maxCost);
    return changed;
}

} // namespace clade::engine
