#pragma once

#include "engine/review/Finding.h"

#include <string>
#include <vector>

namespace clade::engine {

/// When a person must decide before a proposal runs (`--review`).
enum class ReviewPolicy {
    Auto,      ///< nothing is held; findings are recorded and shown
    AskOnRisk, ///< a proposal with findings waits for approval; so does a risky keep
    AskAlways, ///< every proposal waits for approval; so does a risky keep
};

std::string toString(ReviewPolicy policy);
/// "auto", "ask-on-risk", "ask-always"; throws InputError naming `field` otherwise.
ReviewPolicy reviewPolicyFromString(const std::string& name, const std::string& field = "--review");

/// Whether a proposal with these findings waits in awaiting_approval.
bool holdsProposal(ReviewPolicy policy, const std::vector<Finding>& findings);
/// Whether a risky keep (a score jump, a guard worsening: ReviewHolds::holdRiskyKeep) holds
/// the node's keep decision (the node is evaluated, but the strategy may not build on it
/// until a person approves).
bool holdsKeep(ReviewPolicy policy);

} // namespace clade::engine
