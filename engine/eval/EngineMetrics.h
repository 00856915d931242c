#pragma once

#include "engine/store/Node.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clade::engine {

// The metrics the engine measures itself, under names reserved for it ("clade." and a
// word). A harness cannot report them (parseScoreOutput refuses the prefix) and a
// candidate cannot fake them: they come from the sandbox's own accounting, the model
// gateway's bill and the run's git history. Guards (GuardCheck.h) and every view read
// them through metricValue(), like the metrics a harness reports.

/// One engine-measured metric, for the README, the manifest's checks and the views.
struct EngineMetric {
    std::string_view name;    ///< "clade.cost_usd"
    std::string_view meaning; ///< one line: what it measures, in what unit
};

/// Every reserved name, in the order the README lists them.
const std::vector<EngineMetric>& engineMetrics();

/// Whether `name` is in the reserved namespace ("clade."), known or not.
bool isReservedMetricName(std::string_view name);
/// Whether `name` is one of engineMetrics().
bool isEngineMetric(std::string_view name);

// Names the evaluation records as it measures them (the others derive from node fields).
inline constexpr std::string_view kSolveSeconds = "clade.solve_seconds";
inline constexpr std::string_view kScoreSeconds = "clade.score_seconds";
inline constexpr std::string_view kSolveCpuSeconds = "clade.solve_cpu_seconds";
inline constexpr std::string_view kSolvePeakMemoryMb = "clade.solve_peak_memory_mb";
inline constexpr std::string_view kRiskFindings = "clade.risk_findings";

/// The value of metric `name` on `node`: an engine metric (derived from the node's fields
/// or recorded by its evaluation), else what the score phase reported. Nullopt when the
/// node has no such value (not evaluated yet, or a harness that does not report it).
std::optional<double> metricValue(const Node& node, std::string_view name);

/// Every metric `node` has a value for: the score phase's and the engine's, by name.
std::map<std::string, double> allMetrics(const Node& node);

/// The metrics one evaluation call measured, as the Evaluator returns them: the score
/// phase's (a mean weighted by tasks over the call's batches) and the engine's (sums over
/// the batches; the peak memory a maximum).
struct MeasuredMetrics {
    std::map<std::string, double> values;
    std::size_t tasks = 0; ///< tasks the call scored
};

/// Folds one evaluation call into the node's stored metrics, so a node evaluated in
/// stages or one task at a time ends with what one evaluation on all of them would give:
/// engine times add up, the peak memory is the largest, and each score-phase metric is
/// the mean weighted by tasks. `earlierTasks`: results the node had before this call.
void mergeMeasuredMetrics(std::map<std::string, double>& stored, const MeasuredMetrics& measured,
                          std::size_t earlierTasks);

} // namespace clade::engine
