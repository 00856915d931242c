#pragma once

#include "engine/importers/ImportedRun.h"

#include <filesystem>

namespace clade::engine {

/// The newest checkpoint of an OpenEvolve output: `PATH` may be the output folder (holding
/// checkpoints/), the checkpoints folder or one checkpoint_N folder. Reads
/// `programs/<id>.json` ({id, code, language, parent_id, generation, iteration_found,
/// metrics{}, metadata{island, ...}, prompts{}, artifacts_json}) and `metadata.json`
/// (islands, archive, best_program_id). The score is metrics.combined_score, else the
/// mean of the numeric metrics (OpenEvolve's own fallback). Programs evicted from the
/// population are missing: a parent that is not there becomes a placeholder. Programs with
/// no parent hang from a synthetic root; the archive is kept.
ImportedRun readOpenEvolveRun(const std::filesystem::path& path);

/// The checkpoint_N folder with the highest N under `path` (as readOpenEvolveRun accepts
/// it), or empty when there is none.
std::filesystem::path newestOpenEvolveCheckpoint(const std::filesystem::path& path);

} // namespace clade::engine
