#pragma once

// Synthetic runs for the scale benchmarks: a run folder with a real clade.db (the engine's
// schema, written through its store) holding a tree shaped like a long DGM/HGM search.

#include "engine/store/Node.h"

#include <filesystem>
#include <vector>

namespace clade::bench {

struct SyntheticRunOptions {
    int nodes = 100000;
    unsigned seed = 42;
    int tasksPerNode = 4;        ///< per-task results of each evaluated node
    double continueChain = 0.7;  ///< chance a node extends the newest node (long chains)
    double failedShare = 0.12;
    double secondaryShare = 0.02; ///< nodes with a second (crossover) parent
};

/// The nodes of a synthetic run, in id order. Shape: each node either continues the chain
/// it follows (SICA-like greedy runs) or branches from an earlier node picked by a DGM-style
/// tournament (score / (1 + children) among a few random candidates). Scores drift from
/// the parent's; some nodes fail, a few are rejected, the newest ones are still pending.
std::vector<engine::Node> makeSyntheticNodes(const SyntheticRunOptions& options);

/// Writes a run folder at `folder` (run.json, repo.git with only the root commit, clade.db
/// with every node, parent, result and metric row in one transaction). Node commit ids
/// other than the root's are synthetic: they name no object in repo.git.
void writeSyntheticRun(const std::filesystem::path& folder, const std::vector<engine::Node>& nodes);

} // namespace clade::bench
