#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace clade::engine {

/// Every change to a run is an event: stored in the events table and handed to live
/// consumers (the headless printer, the GUI). A value type; safe to copy across threads.
struct RunEvent {
    std::int64_t seq = 0;   ///< position in the run's event log (0 before it is stored)
    double time = 0;        ///< unix seconds
    std::string kind;       ///< see EventKind
    int nodeId = -1;        ///< -1 for run-level events
    nlohmann::json payload; ///< kind-specific details
};

namespace EventKind {
inline constexpr const char* RunStarted = "run_started";
inline constexpr const char* RunStopped = "run_stopped";
inline constexpr const char* NodeAdded = "node_added";
inline constexpr const char* StatusChanged = "status_changed";
inline constexpr const char* NodeEvaluated = "node_evaluated";
inline constexpr const char* NodeFailed = "node_failed";
inline constexpr const char* FlagsChanged = "flags_changed";
inline constexpr const char* Decision = "decision";
inline constexpr const char* Requeued = "requeued";
/// Where one phase of the node ran, when an executor sent it elsewhere (payload:
/// placementJson(), engine/executor/PlacementRecord.h).
inline constexpr const char* PhasePlaced = "phase_placed";
/// Cluster jobs of the run a session cancelled (payload: "jobs": ids, "why": at a stop, or
/// left by an engine that was killed).
inline constexpr const char* JobsCancelled = "jobs_cancelled";
} // namespace EventKind

} // namespace clade::engine
