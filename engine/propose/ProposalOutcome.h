#pragma once

#include "engine/llm/Usage.h"
#include "engine/sandbox/PhasePlacement.h"
#include "engine/store/Node.h"

#include <string>
#include <vector>

namespace clade::engine {

/// What a proposer produced for one child. Failed proposals are still recorded as nodes
/// (status failed) with their log, so a researcher can see why.
struct ProposalOutcome {
    enum class Kind { Proposed, Failed, Cancelled };
    Kind kind = Kind::Failed;
    std::string commit; ///< hex of the child commit (Proposed only)
    std::string description;
    std::string error;
    std::string log; ///< the propose.log text
    DiffSummary diff;
    double seconds = 0;
    /// Model calls made for this child: the llm proposer's, or an agent's through the
    /// gateway while its propose command ran.
    llm::UsageTotals usage;
    /// llm proposer: what was sent and what came back (every attempt), key redacted; the
    /// node's prompt.md and response.md artifacts.
    std::string prompt;
    std::string response;
    /// Where the propose command ran, when an executor sent it elsewhere.
    std::vector<PlacedPhase> placements;
};

} // namespace clade::engine
