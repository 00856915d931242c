#include "engine/review/ScoreJumpDetector.h"

#include "engine/review/ProposalReview.h"
#include "engine/review/ScoredNode.h"
#include "engine/store/FindNode.h"
#include "engine/util/ReadableNumber.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace clade::engine {

std::optional<ScoreJumpAssessment> assessScoreJump(const Node& node, const std::vector<Node>& nodes,
                                                   const Manifest& manifest)
{
    if (node.parents.empty() || !hasFiniteScore(node))
        return std::nullopt;
    const Node* parent = findNode(nodes, node.primaryParent());
    if (!parent || !hasFiniteScore(*parent))
        return std::nullopt;
    const double sign = manifest.direction == Direction::Maximize ? 1.0 : -1.0;
    const auto gain = [sign](const Node& better, const Node& base) {
        return sign * (*better.score - *base.score);
    };
    const auto isReference = [](const Node& n) {
        return hasFiniteScore(n) && !n.hasFlag(FlagHeld) && !n.hasFlag(FlagReverted);
    };

    ScoreJumpAssessment a;
    a.parentId = parent->id;
    a.parentScore = *parent->score;
    a.jump = gain(node, *parent);
    double typical = 0;
    const auto consider = [&](double g) {
        if (g > 0) {
            typical = std::max(typical, g);
            ++a.references;
        }
    };
    for (const Node& sibling : nodes) {
        if (sibling.id != node.id && sibling.primaryParent() == parent->id && isReference(sibling))
            consider(gain(sibling, *parent));
    }
    if (const Node* grandparent = parent->parents.empty() ? nullptr
                                                          : findNode(nodes, parent->primaryParent());
        grandparent && hasFiniteScore(*grandparent))
        consider(gain(*parent, *grandparent));
    a.typical = a.references > 0 ? typical : std::abs(*parent->score) / 10;
    a.flagged = a.jump > 0 && a.jump >= manifest.review.scoreJumpMin &&
                a.jump > manifest.review.scoreJumpFactor * a.typical;
    return a;
}

std::optional<Finding> detectScoreJump(const Node& node, const std::vector<Node>& nodes,
                                       const Manifest& manifest)
{
    const std::optional<ScoreJumpAssessment> a = assessScoreJump(node, nodes, manifest);
    if (!a || !a->flagged)
        return std::nullopt;
    const std::string basis =
        a->references > 0
            ? "the largest improvement among its siblings and its parent's own step, " +
                  readableNumber(a->typical)
            : "a tenth of the parent's score, " + readableNumber(a->typical) +
                  " (no earlier improvement to compare with)";
    return Finding{"score-jump", "", 0,
                   manifest.primaryMetric + " " + readableNumber(*node.score) + " improves on parent node " +
                       std::to_string(a->parentId) + " (" + readableNumber(a->parentScore) + ") by " +
                       readableNumber(a->jump) + ", more than " + readableNumber(manifest.review.scoreJumpFactor) +
                       "x " + basis + ": check for reward hacking before building on it",
                   ""};
}

} // namespace clade::engine
