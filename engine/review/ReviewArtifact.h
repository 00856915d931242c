#pragma once

#include "engine/review/Finding.h"
#include "engine/review/ReviewPolicy.h"
#include "engine/store/RunFolder.h"

#include <vector>

namespace clade::engine {

/// Writes artifacts/<id>/review.json atomically: {"policy", "held", "findings"}. Written
/// before the node row that depends on it, like every artifact.
void writeReview(const RunFolder& folder, int nodeId, ReviewPolicy policy,
                 const std::vector<Finding>& findings, bool held);

/// Adds one finding (a score jump or a guard worsening, found after evaluation) to the node's review.json.
void addFinding(const RunFolder& folder, int nodeId, ReviewPolicy policy, const Finding& finding,
                bool held);

} // namespace clade::engine
