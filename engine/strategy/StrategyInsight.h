#pragma once

#include "engine/strategy/FeatureGrid.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace clade::engine {

/// What a strategy knows about one node beyond its score, for people to see.
struct NodeInsight {
    // hgm: the clade's pooled per-task results and the mean of their Beta posterior,
    // (1 + successes) / (2 + successes + failures), the quantity hgm's Thompson draws
    // centre on when it picks a parent.
    std::optional<double> cladeEstimate;
    double cladeSuccesses = 0;
    double cladeFailures = 0;
    int cladeNodes = 0; ///< nodes of the clade whose results were pooled

    // islands: the island whose expansion turn produced the node (-1: the root, which seeds
    // every island; -2: not an islands run), its MAP-Elites cell, and the islands whose
    // grid it holds a cell of (its own and any it migrated to).
    int island = -2;
    int cell = -1;
    std::vector<int> eliteOf;

    // dgm: the evaluation stage reached (1-based; 0 before any result) of `stages`, and
    // the tasks evaluated against the stage's end.
    int stage = 0;
    int stages = 0;
    int stageTasksDone = 0;
    int stageTasksEnd = 0;
};

/// The islands' MAP-Elites grids as the strategy sees them now.
struct EliteGrids {
    std::vector<FeatureDimension> features;
    std::vector<std::map<int, int>> grids; ///< per island: cell -> elite node id
    std::map<int, double> scores;          ///< each elite's primary score
};

/// A strategy's view of a whole run, derived from the archive alone (as the strategies
/// derive their own state), so the explorer shows what the search decides with without
/// the engine writing anything extra.
struct StrategyInsight {
    std::string strategy;
    std::map<int, NodeInsight> nodes; ///< only nodes the strategy has something to say about
    std::optional<EliteGrids> elites; ///< islands only
    std::vector<int> stageEnds;       ///< dgm only: cumulative task counts of its stages

    const NodeInsight* find(int id) const
    {
        const auto it = nodes.find(id);
        return it == nodes.end() ? nullptr : &it->second;
    }
    bool hasCladeEstimates() const { return strategy == "hgm"; }
};

} // namespace clade::engine
