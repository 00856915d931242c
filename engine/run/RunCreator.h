#pragma once

#include "engine/run/RunConfig.h"

#include <filesystem>

namespace clade::engine {

/// Creates a new run folder at `out` for the agent in `agentDir`: validates the manifest
/// and settings, pins a copy of the harness (hash in run.json), commits the agent as the
/// root node, and only then moves the finished folder into place — so a failure at any
/// step leaves nothing half-written at `out`. Throws InputError for bad input.
std::filesystem::path createRun(const std::filesystem::path& agentDir,
                                const std::filesystem::path& out, const RunSettings& settings);

/// Checks settings that do not need the agent (strategy and its parameters, proposer,
/// sandbox backend, budgets). Throws InputError naming the option.
void validateSettings(const RunSettings& settings);

/// The ignore patterns used when snapshotting agent code: the manifest's plus ".git/".
std::vector<std::string> snapshotIgnores(const Manifest& manifest);

} // namespace clade::engine
