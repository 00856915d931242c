#pragma once

#include "engine/importers/ImportedRun.h"

#include <filesystem>
#include <optional>

namespace clade::engine {

/// Reads a Darwin Gödel Machine run folder: `dgm_metadata.jsonl` (one pretty-printed
/// record per generation: generation, children, children_compiled, archive) and a folder
/// per node (`initial/` is the root) with metadata.json (run_id, parent_commit,
/// entry, problem_statement, overall_performance{accuracy_score, total_resolved_ids,
/// total_unresolved_ids, total_emptypatch_ids, ...}), model_patch.diff (the node's own
/// change) and self_evo.md. Nodes in the last record's archive are kept.
///
/// A node's code is the root's plus the chain of patches from the root. The run folder
/// does not hold the root's code: with `base` (a folder holding the initial agent's code)
/// each patch is applied for real; without it every node's commit holds its chain of
/// patches as files (patches/NN-<run_id>.diff), so diffs between nodes still show which
/// changes they differ by.
ImportedRun readDgmRun(const std::filesystem::path& folder,
                       const std::optional<std::filesystem::path>& base = std::nullopt);

/// Reads a Huxley-Gödel Machine run folder: like DGM, but the tree comes from the last
/// snapshot of `hgm_metadata.jsonl` ({n_task_evals, nodes: [{commit_id, id, parent_id,
/// mean_utility (may be Infinity), num_evals}]}); per-node folders are named by commit_id.
ImportedRun readHgmRun(const std::filesystem::path& folder,
                       const std::optional<std::filesystem::path>& base = std::nullopt);

} // namespace clade::engine
