#pragma once

#include "engine/manifest/Manifest.h"
#include "engine/review/ChangeSet.h"
#include "engine/review/Finding.h"

#include <vector>

namespace clade::engine {

/// "risky-call" for each added line that uses something that starts processes, removes
/// files, opens network connections, loads native code or runs dynamic code: Python by
/// PythonCallScanner (which reads the whole new text for imports and aliases), C/C++,
/// shell and JavaScript by GenericCallScanner, and every text file by the clade.json
/// review.patterns that apply to it. Only added lines count: what the parent already did
/// was reviewed with the parent. One finding per line and source of the rule.
std::vector<Finding> detectRiskyCalls(const ChangeSet& change, const Manifest& manifest);

} // namespace clade::engine
