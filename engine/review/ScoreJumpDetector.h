#pragma once

#include "engine/manifest/Manifest.h"
#include "engine/store/Node.h"

#include <optional>
#include <string>
#include <vector>

namespace clade::engine {

/// The numbers behind a score-jump decision (see detectScoreJump in ProposalReview.h).
///
/// The rule. Gains are oriented by the manifest's direction, so a positive gain is always
/// an improvement (lower-is-better metrics included):
///   jump    = gain of the node over its primary parent;
///   typical = the largest positive gain among the references: the parent's other
///             evaluated children over the parent, and the parent over its own primary
///             parent. Held or reverted nodes are not references (a second hack must not
///             hide behind the first). With no positive reference, a tenth of the
///             parent's absolute score stands in, so the first child of a node is
///             compared with the scale of the score itself;
///   flagged when jump >= review.score_jump.min AND jump > review.score_jump.factor * typical.
/// Only nodes that are Evaluated with a finite score count; the root is never flagged.
struct ScoreJumpAssessment {
    int parentId = -1;
    double parentScore = 0;
    double jump = 0;
    double typical = 0;
    int references = 0;       ///< how many references had a positive gain
    bool flagged = false;
};

/// Nothing when the rule does not apply (root, not evaluated, parent without a score).
std::optional<ScoreJumpAssessment> assessScoreJump(const Node& node, const std::vector<Node>& nodes,
                                                   const Manifest& manifest);

} // namespace clade::engine
