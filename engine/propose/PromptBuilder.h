#pragma once

#include "engine/manifest/Manifest.h"
#include "engine/store/Node.h"

#include <map>
#include <string>
#include <vector>

namespace clade::engine {

/// What the llm proposer shows the model about one parent.
struct PromptInput {
    const Manifest& manifest;
    const Node& parent;
    /// The archive as the strategy lets the proposer see it (sica: the lineage, adas: the
    /// whole archive, islands: the island's elites).
    const std::vector<Node>& history;
    const std::map<std::string, std::string>& files; ///< the parent's evolvable files
    std::vector<std::string> filesLeftOut;           ///< too large or not text
    std::string parentEvaluateLog;
};

/// The values of the user template's placeholders: agent_name, agent_description, metric,
/// direction, parent_id, parent_score, parent_results, files, history, parent_log,
/// example_path. Long parts are cut to keep the prompt within a model's context: the
/// history keeps the best and the newest entries, the log keeps its tail.
std::map<std::string, std::string> promptVariables(const PromptInput& input);

/// Markdown fence language for a file name ("python" for .py, "" when unknown).
std::string fenceLanguage(const std::string& path);

} // namespace clade::engine
