#include "engine/review/ProposalReview.h"

#include "engine/review/ChangeSizeDetector.h"
#include "engine/review/ImproverDetector.h"
#include "engine/review/ProtectedPathDetector.h"
#include "engine/review/RiskyCallDetector.h"

namespace clade::engine {

std::vector<Finding> reviewProposal(const ChangeSet& change, const Manifest& manifest)
{
    std::vector<Finding> findings = detectProtectedPaths(change, manifest);
    const auto append = [&findings](std::vector<Finding> more) {
        findings.insert(findings.end(), std::make_move_iterator(more.begin()),
                        std::make_move_iterator(more.end()));
    };
    append(detectImproverChanges(change, manifest));
    append(detectRiskyCalls(change, manifest));
    append(detectChangeSize(change, manifest));
    return findings;
}

// detectScoreJump lives beside its rule in ScoreJumpDetector.cpp.

} // namespace clade::engine
