#pragma once

#include "engine/store/Database.h"
#include "engine/store/Node.h"

namespace clade::engine {

/// The columns of a node row, in the order readNodeRow() expects; callers append their
/// WHERE and ORDER BY.
inline constexpr const char* kNodeSelect =
    "SELECT id, commit_id, status, flags, score, stage, description, proposer_kind, "
    "proposer_model, tokens_in, tokens_out, cost, diff_files, diff_insertions, diff_deletions, "
    "error, created_at, updated_at, propose_seconds, evaluate_seconds FROM nodes";

/// One row of kNodeSelect as a Node (no parents, results or metrics: those are other
/// tables). Throws std::invalid_argument for an unknown status name.
Node readNodeRow(const Statement& st);

} // namespace clade::engine
