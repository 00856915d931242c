#pragma once

#include "engine/manifest/Manifest.h"
#include "engine/review/Finding.h"
#include "engine/store/Node.h"

#include <optional>
#include <string>
#include <vector>

namespace clade::engine {

/// A guard metric that got worse than the parent's on a node whose score rose.
struct GuardWorsening {
    GuardMetric guard;
    double value = 0;       ///< the node's
    double parentValue = 0; ///< the primary parent's
    double fraction = 0;    ///< worseningFraction(): 0.6 is 60% worse; infinite from 0
};

/// The numbers behind a guard-worsening decision: a keep that trades a guard metric for the
/// primary one, by more than the guards themselves forbid, looks like reward hacking (the
/// agent got "better" by spending, cheating on time, leaking memory) and waits for a person
/// under a policy that holds keeps, like a score jump.
///
/// The rule. It applies to an evaluated node other than the root, with a finite score,
/// whose primary parent is evaluated with a finite score, and which passes its guards (a
/// node that fails them is never kept, so there is no keep to hold). Then:
///   flagged when its score is better than the parent's (oriented by manifest.direction)
///   AND some guard metric is worse than the parent's value by more than
///   review.guard_worsening, as worseningFraction() (engine/eval/GuardCheck.h) measures it.
/// Guard metrics without a value on the node or the parent are not compared.
struct GuardWorseningAssessment {
    int parentId = -1;
    double score = 0;
    double parentScore = 0;
    bool scoreRose = false;
    /// Every guard metric worse than the parent's by more than review.guard_worsening, in
    /// manifest order (empty when none is).
    std::vector<GuardWorsening> worsened;
    bool flagged = false;
};

/// Nothing when the rule does not apply (no guards, root, not evaluated, parent without a
/// score, guards failed).
std::optional<GuardWorseningAssessment>
assessGuardWorsening(const Node& node, const std::vector<Node>& nodes, const Manifest& manifest);

/// A "guard-worsening" finding when assessGuardWorsening() flags the node: it names each
/// worsened metric with both values and the fraction, and the parent.
std::optional<Finding> detectGuardWorsening(const Node& node, const std::vector<Node>& nodes,
                                            const Manifest& manifest);

} // namespace clade::engine
