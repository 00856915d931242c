#pragma once

#include "engine/strategy/FeatureGrid.h"
#include "engine/strategy/Strategy.h"

#include <map>
#include <optional>
#include <random>
#include <vector>

namespace clade::engine {

/// How an islands search is laid out; see IslandsStrategy for the defaults and why.
struct IslandSettings {
    int islands = 5;
    std::vector<FeatureDimension> features = defaultFeatures();
    int migrationInterval = 3; ///< generations (rounds of one expansion per island)
    double migrationRate = 0.1; ///< fraction of an island's own elites sent each migration
};

/// Island of the node with `id`: the root (id 0) seeds every island (-1 here); the
/// expansion that gets id n belongs to island (n - 1) mod K, the island whose turn it was.
int islandOf(int id, int islands);

/// The islands' MAP-Elites grids, derived from the archive alone so that a resumed run
/// (a fresh strategy) sees exactly what the first process saw. Nodes are replayed in id
/// order: each evaluated, scored node that is neither blocked nor reverted is offered to
/// its island's grid (the root to all). Every `migrationInterval` generations the islands
/// migrate: once per boundary id b = j * K * interval, after the nodes up to b and before
/// any later node or the expansion that will get `nextId` (so a cancelled id or a node
/// still in flight never skips a migration).
struct IslandArchive {
    /// grids[i]: cell -> elite node id.
    std::vector<std::map<int, int>> grids;

    static IslandArchive build(const ArchiveView& view, const IslandSettings& settings, int nextId);

    /// Elite rule: `candidate` takes `cell` of island `island` when the cell is empty or its
    /// oriented score is strictly higher than the incumbent's (a tie keeps the older node).
    /// Returns whether it did.
    bool offer(const ArchiveView& view, int island, int cell, const Node& candidate);

    /// Ring migration: each island i sends its best ceil(rate * own elites) elites that
    /// belong to it (not earlier migrants, which would otherwise circle the ring and crowd
    /// it) to island (i + 1) mod K, where each is offered to the same cell. All migrants
    /// are chosen before any arrives.
    void migrate(const ArchiveView& view, const IslandSettings& settings);

    /// Island i's best elite (highest oriented score, the lower id on a tie).
    std::optional<int> bestElite(const ArchiveView& view, int island) const;
};

/// How a parent was chosen; the probabilities of each are parameters.
enum class ParentPick { Exploration, Exploitation, Random };

struct ParentChoice {
    int node = -1;
    ParentPick pick = ParentPick::Random;
};

struct SamplingRatios {
    double exploration = 0.2;  ///< a uniformly chosen elite of the island's grid
    double exploitation = 0.7; ///< the island's best elite
    double random = 0.1;       ///< any node of the archive that could be expanded
};

/// Draws a parent for `island`. Uses the generator directly (not <random>'s
/// distributions, whose output differs between standard libraries) so that a seed means
/// the same decisions everywhere. An empty grid falls back to a random node.
std::optional<ParentChoice> sampleParent(const ArchiveView& view, const IslandArchive& archive,
                                         int island, const SamplingRatios& ratios,
                                         std::mt19937_64& rng);

/// Evaluated on every task, scored, not reverted and not blocked: a node the search may
/// build on.
bool isExpandable(const ArchiveView& view, const Node& node);

} // namespace clade::engine
