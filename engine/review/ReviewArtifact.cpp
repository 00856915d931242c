#include "engine/review/ReviewArtifact.h"

#include "engine/review/ReviewQueue.h"
#include "engine/util/AtomicFile.h"

#include <nlohmann/json.hpp>

namespace clade::engine {

void writeReview(const RunFolder& folder, int nodeId, ReviewPolicy policy,
                 const std::vector<Finding>& findings, bool held)
{
    const nlohmann::json review{
        {"policy", toString(policy)}, {"held", held}, {"findings", findingsToJson(findings)}};
    writeFileAtomically(folder.artifacts(nodeId) / "review.json", review.dump(2) + "\n");
}

void addFinding(const RunFolder& folder, int nodeId, ReviewPolicy policy, const Finding& finding,
                bool held)
{
    auto findings = loadFindings(folder.root, nodeId);
    findings.push_back(finding);
    writeReview(folder, nodeId, policy, findings, held);
}

} // namespace clade::engine
