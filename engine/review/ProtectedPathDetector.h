#pragma once

#include "engine/manifest/Manifest.h"
#include "engine/review/ChangeSet.h"
#include "engine/review/Finding.h"

#include <vector>

namespace clade::engine {

/// "harness" for each changed path under the harness folder (when it lies inside the
/// agent folder), "protected-path" for each other path a `protected` entry covers. A
/// rename is checked under both its names: moving a protected file away touches it too.
std::vector<Finding> detectProtectedPaths(const ChangeSet& change, const Manifest& manifest);

} // namespace clade::engine
