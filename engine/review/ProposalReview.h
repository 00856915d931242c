#pragma once

#include "engine/manifest/Manifest.h"
#include "engine/review/ChangeSet.h"
#include "engine/review/Finding.h"
#include "engine/store/Node.h"

#include <optional>
#include <vector>

namespace clade::engine {

/// Every detector that looks at a proposal before it runs (protected paths, harness,
/// improver, risky calls, size, binary files, exec bits), in that order. Pure: the same
/// change and manifest always give the same findings.
std::vector<Finding> reviewProposal(const ChangeSet& change, const Manifest& manifest);

/// After evaluation: whether `node`'s score is out of line with its parent's and its
/// siblings' (possible reward hacking). `nodes` is the archive, ordered by id; `node` is
/// evaluated and has a primary parent.
std::optional<Finding> detectScoreJump(const Node& node, const std::vector<Node>& nodes,
                                       const Manifest& manifest);

} // namespace clade::engine
