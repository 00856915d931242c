#pragma once

#include "engine/manifest/Manifest.h"
#include "engine/review/ChangeSet.h"
#include "engine/review/Finding.h"

#include <string>
#include <string_view>
#include <vector>

namespace clade::engine {

/// The agent-folder paths the propose command names: its arguments under /agent (the
/// sandbox mounts the candidate there) or relative to it (the working folder), after an
/// "--opt=" prefix too, and the file or package of "-m module". Empty without a command.
std::vector<std::string> proposeCommandPaths(const Manifest& manifest);

/// A prompt by its name: a folder "prompts" or "prompt" on the path, or "prompt" in the
/// file name ("system_prompt.txt"), case ignored.
bool isPromptPath(std::string_view path);

/// "improver" for every changed file that is part of how the agent improves itself: the
/// propose command's files, the prompts, and clade.json review.improver. Always reported,
/// whatever else is found: a change here changes every later candidate.
std::vector<Finding> detectImproverChanges(const ChangeSet& change, const Manifest& manifest);

} // namespace clade::engine
