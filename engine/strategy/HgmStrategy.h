#pragma once

#include "engine/strategy/Strategy.h"

#include <map>
#include <random>

namespace clade::engine {

/// Successes and failures of per-task results in [0, 1] (a result r adds r and 1 − r).
struct BetaCounts {
    double successes = 0;
    double failures = 0;
};

/// HGM's expand-or-evaluate rule: expand when evaluations^alpha >= children, where
/// children counts every node but the root plus the proposals in flight.
bool hgmShouldExpand(int evaluations, int children, double alpha);

/// Task evaluations spent so far: every recorded result plus one per evaluation in flight
/// (hgm evaluates one task at a time).
int hgmEvaluations(const ArchiveView& view);

/// A node's own results as Beta counts (oriented by the run's direction).
BetaCounts ownCounts(const ArchiveView& view, const Node& node);

/// Every node's clade counts: its own results pooled with all its descendants' (by primary
/// parent), skipping nodes a person blocked. Built fresh on each call; no node's results
/// are touched (the reference implementation appends descendants' results to the
/// ancestors' own lists, which counts them again on every pass).
std::map<int, BetaCounts> cladeCounts(const ArchiveView& view);

/// Huxley-Gödel Machine (Wang et al. 2025): a tree search that spends one task evaluation
/// at a time. It expands when evaluations^alpha has caught up with the tree's size, choosing
/// the parent by Thompson sampling on clade-pooled results (the clade's promise, not the
/// node's own score); otherwise it evaluates one more task of the node drawn by Thompson
/// sampling on its own results. It never reverts a node.
class HgmStrategy : public Strategy {
public:
    HgmStrategy(const nlohmann::json& params, std::uint64_t seed);
    std::string name() const override { return "hgm"; }
    nlohmann::json parameters() const override;
    Action next(const ArchiveView& view) override;
    /// Each node's clade estimate: the mean of Beta(1 + successes, 1 + failures) over its
    /// clade's pooled results (without the cool-down, which only sharpens the draws).
    std::optional<StrategyInsight> insight(const ArchiveView& view) const override;

    /// Thompson draw over clades: among evaluated, unblocked nodes whose own mean is finite
    /// and > 0, the argmax of θ ~ Beta(1 + successes, 1 + failures) of their clade counts.
    std::optional<int> sampleParent(const ArchiveView& view);
    /// Thompson draw over nodes with tasks left, on their own results.
    std::optional<int> sampleTarget(const ArchiveView& view);

private:
    double cooldown(const ArchiveView& view) const;
    double draw(const BetaCounts& counts, double factor);

    double m_alpha = 0.6;
    double m_cooldownBeta = 0;
    int m_cooldownEvaluations = 0;
    std::mt19937_64 m_rng;
};

} // namespace clade::engine
