#include "engine/eval/EngineMetrics.h"

#include <algorithm>

namespace clade::engine {

namespace {

constexpr std::string_view kPrefix = "clade.";

// Names runs written before the clade. namespace used for the two times they recorded.
std::optional<double> legacyTime(const Node& node, std::string_view name)
{
    const char* legacy = name == kSolveSeconds ? "solve_seconds"
                         : name == kScoreSeconds ? "score_seconds"
                                                 : nullptr;
    if (!legacy)
        return std::nullopt;
    const auto it = node.metrics.find(legacy);
    return it == node.metrics.end() ? std::nullopt : std::optional<double>(it->second);
}

std::optional<double> recorded(const Node& node, std::string_view name)
{
    const auto it = node.metrics.find(std::string(name));
    if (it != node.metrics.end())
        return it->second;
    return legacyTime(node, name);
}

std::optional<double> perTask(std::optional<double> total, const Node& node)
{
    if (!total || node.results.empty())
        return std::nullopt;
    return *total / static_cast<double>(node.results.size());
}

bool evaluated(const Node& node)
{
    return !node.results.empty();
}

} // namespace

const std::vector<EngineMetric>& engineMetrics()
{
    static const std::vector<EngineMetric> metrics{
        {"clade.cost_usd", "USD of every model call made for the node (its proposal and its "
                           "evaluations, through the gateway included)"},
        {"clade.cost_usd_per_task", "clade.cost_usd divided by the tasks the node was scored on"},
        {"clade.tokens", "model tokens of those calls, input and output"},
        {"clade.tokens_in", "model input tokens"},
        {"clade.tokens_out", "model output tokens"},
        {"clade.propose_seconds", "wall seconds of the proposal that made the node (0 for the root)"},
        {kSolveSeconds, "wall seconds of the solve phases, summed over every batch and stage"},
        {"clade.solve_seconds_per_task", "clade.solve_seconds divided by the tasks scored"},
        {kScoreSeconds, "wall seconds of the score phases, summed"},
        {kSolveCpuSeconds, "CPU seconds (user + system) of the solve phases' process trees"},
        {kSolvePeakMemoryMb, "the largest peak memory of one solve phase, in MB (the cgroup's "
                             "memory.peak; without a cgroup, the largest resident set)"},
        {"clade.diff_lines", "lines inserted plus lines deleted against the primary parent"},
        {"clade.diff_files", "files changed against the primary parent"},
        {kRiskFindings, "risk findings the review raised on the node's change (0 for the root)"},
    };
    return metrics;
}

bool isReservedMetricName(std::string_view name)
{
    return name.substr(0, kPrefix.size()) == kPrefix;
}

bool isEngineMetric(std::string_view name)
{
    const auto& all = engineMetrics();
    return std::any_of(all.begin(), all.end(), [&](const EngineMetric& m) { return m.name == name; });
}

std::optional<double> metricValue(const Node& node, std::string_view name)
{
    if (!isReservedMetricName(name)) {
        const auto it = node.metrics.find(std::string(name));
        return it == node.metrics.end() ? std::nullopt : std::optional<double>(it->second);
    }
    const ProposerRecord& p = node.proposer;
    const bool root = node.parents.empty();
    if (name == "clade.cost_usd")
        return p.cost;
    if (name == "clade.cost_usd_per_task")
        return perTask(p.cost, node);
    if (name == "clade.tokens")
        return static_cast<double>(p.tokensIn + p.tokensOut);
    if (name == "clade.tokens_in")
        return static_cast<double>(p.tokensIn);
    if (name == "clade.tokens_out")
        return static_cast<double>(p.tokensOut);
    if (name == "clade.propose_seconds")
        return node.proposeSeconds;
    if (name == "clade.solve_seconds_per_task")
        return perTask(recorded(node, kSolveSeconds), node);
    if (name == "clade.diff_lines")
        return root ? 0.0 : static_cast<double>(node.diff.insertions + node.diff.deletions);
    if (name == "clade.diff_files")
        return root ? 0.0 : static_cast<double>(node.diff.files);
    if (name == kRiskFindings) {
        if (const auto value = recorded(node, name))
            return value;
        return root ? std::optional<double>(0.0) : std::nullopt;
    }
    // Measured by the evaluation: nothing before one ran.
    if (!evaluated(node))
        return std::nullopt;
    return recorded(node, name);
}

std::map<std::string, double> allMetrics(const Node& node)
{
    std::map<std::string, double> all;
    for (const auto& [name, value] : node.metrics)
        if (!isReservedMetricName(name))
            all[name] = value;
    for (const EngineMetric& metric : engineMetrics())
        if (const auto value = metricValue(node, metric.name))
            all[std::string(metric.name)] = *value;
    return all;
}

void mergeMeasuredMetrics(std::map<std::string, double>& stored, const MeasuredMetrics& measured,
                          std::size_t earlierTasks)
{
    // A node sent back to be evaluated again on every task starts its accounts afresh.
    const bool fresh = earlierTasks == 0;
    const double before = static_cast<double>(earlierTasks);
    const double now = static_cast<double>(measured.tasks);
    for (const auto& [name, value] : measured.values) {
        const auto it = stored.find(name);
        if (fresh || it == stored.end()) {
            stored[name] = value;
        } else if (name == kSolvePeakMemoryMb) {
            it->second = std::max(it->second, value);
        } else if (isReservedMetricName(name)) {
            it->second += value;
        } else if (before + now > 0) {
            it->second = (it->second * before + value * now) / (before + now);
        }
    }
}

} // namespace clade::engine
