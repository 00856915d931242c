#pragma once

#include "engine/strategy/IslandArchive.h"
#include "engine/strategy/Strategy.h"

namespace clade::engine {

/// Islands with MAP-Elites grids, after OpenEvolve / AlphaEvolve. K islands (default 5)
/// each keep a grid over feature dimensions taken from the score phase's metrics (default:
/// the diff size, 10 bins over 0..200 changed lines); islands take expansion turns
/// round-robin and each draws a parent from its own grid: its best elite (exploitation,
/// 0.7), a uniformly chosen elite (exploration, 0.2) or any node of the archive (random,
/// 0.1), OpenEvolve's defaults. Every `migration_interval` generations (default 3, so a
/// 40-iteration demo with 5 islands migrates twice; OpenEvolve's 50 suits thousands of
/// iterations) each island sends its best `migration_rate` (0.1) of its own elites to
/// the next island of the ring. With `cascade_tasks` (e.g. [2, 4]) and one
/// `cascade_thresholds` entry per stage, children are evaluated in a cascade, as
/// OpenEvolve's evaluators: on the run's first tasks, then on the next ones only if their
/// mean so far reaches the stage's threshold, and so on to all tasks. A child the cascade
/// stops keeps its partial results and never becomes an elite or a parent. Off by default:
/// every child is evaluated on every task.
///
/// All state is derived from the archive (IslandArchive::build), and each expansion draws
/// from a generator seeded by the run seed and the id its child will get, so a resumed
/// run makes the same decisions as one that never stopped.
class IslandsStrategy : public Strategy {
public:
    IslandsStrategy(const nlohmann::json& params, std::uint64_t seed);
    std::string name() const override { return "islands"; }
    nlohmann::json parameters() const override;
    Action next(const ArchiveView& view) override;
    /// Kept when the node became an elite of its island's grid; otherwise left as it is:
    /// a node outside the grids stays in the archive, where random picks can reach it.
    std::optional<unsigned> flagsAfterEvaluation(const ArchiveView& view, const Node& node) override;
    /// Each node's island and cell, the islands it is an elite of, and the grids as the
    /// next expansion would see them.
    std::optional<StrategyInsight> insight(const ArchiveView& view) const override;

    const IslandSettings& settings() const { return m_settings; }

private:
    /// The next evaluation to start (a new child, or a child's next cascade stage).
    std::optional<Action> nextEvaluation(const ArchiveView& view) const;

    IslandSettings m_settings;
    std::vector<int> m_cascadeTasks;        ///< tasks per cascade stage before the rest
    std::vector<double> m_cascadeThresholds; ///< one per stage, in the primary metric's units
    SamplingRatios m_ratios;
    std::uint64_t m_seed = 0;
};

} // namespace clade::engine
