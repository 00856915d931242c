#pragma once

#include "engine/store/Node.h"

#include <string>

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
};

} // namespace clade::engine
