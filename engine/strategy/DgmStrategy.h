#pragma once

#include "engine/strategy/Strategy.h"

#include <deque>
#include <map>
#include <random>

namespace clade::engine {

/// DGM's parent weight: sigmoid(10 · (solved − 0.5)) / (1 + children), where `solved` is the
/// node's score as a fraction solved (see solvedFraction).
double dgmWeight(double solved, int children);

/// The weight of every archived node (evaluated, not reverted, not blocked); children
/// counts every child a node has, failed ones included: each is an attempt spent on it.
std::map<int, double> dgmParentWeights(const ArchiveView& view);

/// Darwin Gödel Machine (Zhang et al. 2025): open-ended archive search. Each generation
/// draws `parents_per_generation` parents with replacement, ∝ dgmWeight, and expands each
/// once. Children are evaluated in stages on a fixed prefix of the tasks: the first stage
/// always, a middle stage when at least `stage_threshold` is solved, the rest when the node
/// beats the second-best fully evaluated score. The keep rule is the archive update:
/// keep_all keeps every evaluated child, keep_better those within `noise_margin` of the
/// root's score. The stage a node reached is inferred from how many results it has.
class DgmStrategy : public Strategy {
public:
    DgmStrategy(const nlohmann::json& params, std::uint64_t seed);
    std::string name() const override { return "dgm"; }
    nlohmann::json parameters() const override;
    Action next(const ArchiveView& view) override;
    std::optional<unsigned> flagsAfterEvaluation(const ArchiveView& view, const Node& node) override;

    /// The tasks `node` should be evaluated on next, or empty when it is done.
    std::vector<std::string> nextStageTasks(const ArchiveView& view, const Node& node) const;
    /// The evaluation stage each node reached, inferred as the strategy does from how many
    /// of the tasks (in the run's order) it has results for.
    std::optional<StrategyInsight> insight(const ArchiveView& view) const override;

private:
    enum class ArchiveRule { KeepAll, KeepBetter };

    int m_parentsPerGeneration = 2;
    std::vector<int> m_stageTasks{10, 50};
    double m_stageThreshold = 0.4;
    ArchiveRule m_archive = ArchiveRule::KeepAll;
    double m_noiseMargin = 0.1;
    std::mt19937_64 m_rng;
    std::deque<int> m_generation; ///< parents drawn for this generation, not yet expanded
};

} // namespace clade::engine
