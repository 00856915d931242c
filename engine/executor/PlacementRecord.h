#pragma once

#include "engine/sandbox/PhasePlacement.h"
#include "engine/store/RunEvent.h"

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace clade::engine {

/// A phase_placed event's payload: {"phase", "executor", "job", "step", "host",
/// "queue_seconds", "lost": [{"job", "host", "why"}]}.
nlohmann::json placementJson(const PlacedPhase& placed);
/// Missing or mistyped fields come back empty: a view of a newer or damaged run still opens.
PlacedPhase placementFromJson(const nlohmann::json& payload);

/// What a run's phase_placed events say about its cluster use: for `clade status` and the
/// explorer.
struct ClusterActivity {
    int phases = 0;      ///< phases that ran elsewhere
    int lostAttempts = 0; ///< jobs lost and run again
    double medianQueueSeconds = 0;
    double maxQueueSeconds = 0;
    std::map<int, std::vector<PlacedPhase>> byNode; ///< in the order they ran
};

/// Reads the phase_placed events among `events` (others are ignored).
ClusterActivity summarizePlacements(const std::vector<RunEvent>& events);

} // namespace clade::engine
