#pragma once

#include "engine/importers/ImportedRun.h"

#include <filesystem>
#include <optional>

namespace clade::engine {

/// Reads a Self-Improving Coding Agent run folder (`results/run_<id>/`): `metadata.json`
/// (experiment_start_timestamp, agent_iteration, git_commit, benchmark_progress) and one
/// `agent_<i>/` per iteration holding `agent_code/` (the agent's whole code), and
/// `benchmarks/<bench>/results.jsonl` (one line per problem: problem_id, score,
/// tokens_used, num_cached_tokens, cost_estimate, wall_time, timed_out), `perf.json`
/// (avg_score, tokens, num_cached_tokens, cost, time) and `traces/<problem_id>/`.
///
/// SICA keeps a linear sequence: agent_i is agent_{i-1} improved. (Its runner picks the
/// base of each improvement by score but records the choice only in its log, so the
/// sequence is the only parent link the folder holds.) A missing agent_<i> becomes a
/// placeholder. A node's score is the mean of its per-problem scores over all benchmarks;
/// per-task results are named <bench>.<problem_id>.
ImportedRun readSicaRun(const std::filesystem::path& runFolder);

/// `path` itself when it is a SICA run folder (metadata.json and agent_0/ or another
/// agent_<i>/ with agent_code/), or the one run_<id>/ of a results/ folder. nullopt when
/// neither; InputError when a results/ folder holds several runs (they are listed).
std::optional<std::filesystem::path> findSicaRun(const std::filesystem::path& path);

} // namespace clade::engine
