#pragma once

#include "engine/review/Finding.h"
#include "engine/store/Node.h"

#include <filesystem>
#include <vector>

namespace clade::engine {

/// A node waiting for a person (waitsForReview()): a proposal in awaiting_approval, or an
/// evaluated node whose keep decision is held (FlagHeld: a score jump or a guard worsening).
struct HeldNode {
    Node node;
    std::vector<Finding> findings; ///< from artifacts/<id>/review.json
    bool keepHeld = false;         ///< true: evaluated, its keep decision waits
};

/// The run's approval queue, oldest first. Reads only (any process, any time).
std::vector<HeldNode> loadReviewQueue(const std::filesystem::path& runDir);

/// artifacts/<id>/review.json: {"policy": "...", "findings": [...], "held": bool}; the
/// findings are empty when the file is missing (nodes older than review).
std::vector<Finding> loadFindings(const std::filesystem::path& runDir, int nodeId);

} // namespace clade::engine
