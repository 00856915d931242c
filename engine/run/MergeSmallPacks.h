#pragma once

#include "engine/store/RunFolder.h"

namespace clade::engine {

/// Every node's objects arrive in the run's repository as a pack of their own
/// (git::PackedWriteScope); each lookup walks all packs, so the owner merges them every so
/// often, when it opens the run and when a session ends. Workers may read meanwhile:
/// libgit2 skips a removed pack and finds the merged one on its rescan. Never throws: a
/// failure only leaves lookups slower, and is logged.
void mergeSmallPacks(const RunFolder& folder);

} // namespace clade::engine
