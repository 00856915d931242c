#pragma once

#include "engine/store/Node.h"

#include <filesystem>
#include <string>
#include <vector>

namespace clade::engine {

/// Writes the context folder a `command` proposer reads (mounted read-only at /context):
/// parent.json, history.json and parent_evaluate.log. Its format is the contract with
/// agents' propose scripts; see examples/binpack/README.md.
void writeProposeContext(const std::filesystem::path& folder, const Node& parent,
                         const std::vector<Node>& history, const std::string& parentEvaluateLog);

} // namespace clade::engine
