#pragma once

#include "engine/manifest/Manifest.h"
#include "engine/review/ChangeSet.h"
#include "engine/review/Finding.h"

#include <vector>

namespace clade::engine {

/// "diff-size" when insertions + deletions exceed clade.json review.max_changed_lines
/// (400 by default): too much to review with care. "binary-file" for each added or changed
/// binary (or oversized) file: it cannot be read as text. "exec-bit" for each file that
/// became executable.
std::vector<Finding> detectChangeSize(const ChangeSet& change, const Manifest& manifest);

} // namespace clade::engine
