#pragma once

#include "engine/importers/ImportedRun.h"

#include <filesystem>
#include <optional>

namespace clade::engine {

/// Reads a ShinkaEvolve evolution database (SQLite, opened read-only): its `programs`
/// table (id, code, language, parent_id, archive_inspiration_ids and top_k_inspiration_ids
/// as JSON lists, generation, timestamp, code_diff, combined_score, public_metrics and
/// private_metrics as JSON objects, correct, metadata as JSON with api_costs, embed_cost,
/// novelty_cost, meta_cost, model_name, stdout_log, stderr_log, island_idx) and, when
/// present, its `archive` table (kept programs).
///
/// Programs come in generation order, each after its parent; inspirations that come
/// earlier become extra parents. A parent id the table lacks becomes a placeholder.
/// combined_score is the score (NULL: none), correct = 0 makes a node failed.
ImportedRun readShinkaRun(const std::filesystem::path& database);

/// The database to read for `path`: the file itself when it is an SQLite file
/// (.sqlite/.sqlite3/.db) with a `programs` table, or the evolution_db.sqlite /
/// programs.sqlite that ShinkaEvolve writes into a results folder.
std::optional<std::filesystem::path> findShinkaDatabase(const std::filesystem::path& path);

} // namespace clade::engine
