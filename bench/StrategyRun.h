#pragma once

// One run of a strategy through the real engine (createRun + RunEngine, sandboxed propose,
// solve and score commands) at a budget of per-task evaluations, with what the strategy
// comparison reports about it.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace clade::bench {

struct StrategyRunSpec {
    std::filesystem::path agent; ///< agent folder (clade.json)
    std::string strategy;
    std::uint64_t seed = 1;
    int taskEvaluations = 0; ///< the budget, RunSettings::maxTaskEvaluations
    int workers = 1;
    std::string sandbox = "bwrap";
};

/// A node evaluated on every task, at the moment its last result landed.
struct Completion {
    int node = -1;
    double score = 0;
    int evaluations = 0; ///< per-task results recorded in the run at that moment
    double quality = -1; ///< the score phase's "quality" metric, -1 when it has none
    bool climber = false; ///< the score phase's "climber" metric (the landscape)
    int generation = 0;
};

struct StrategyRunResult {
    StrategyRunSpec spec;
    std::vector<Completion> completions; ///< in the order the engine applied them
    int evaluationsSpent = 0;            ///< per-task results at the end (may pass the budget)
    int children = 0;                    ///< nodes proposed (failed proposals included)
    /// Landscape: nodes of the climber family with at least one result, and the deepest
    /// generation among them (the score phase's metrics; 0 on other agents).
    int climberNodes = 0;
    int deepestClimber = 0;
    double wallSeconds = 0;              ///< creating the run folder + the engine's run
    std::string outcome;                 ///< the engine's closing message

    /// The best score among nodes completed within the budget (the earliest on a tie).
    std::optional<Completion> best() const;
    /// The highest quality among nodes completed within the budget (-1: none).
    double bestQuality() const;
};

/// Creates the run in `workDir/<name>`, runs it to the end and removes it again.
StrategyRunResult runStrategy(const StrategyRunSpec& spec, const std::filesystem::path& workDir);

} // namespace clade::bench
