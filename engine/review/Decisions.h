#pragma once

#include "engine/review/Finding.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <set>

namespace clade::engine {

class RunStore;

/// The decisions a person can take on a node. Each is stored as an event (who, when, the
/// note, the findings shown at the time) and in the decisions table: the audit trail.
namespace DecisionAction {
inline constexpr const char* Approve = "approve"; ///< an awaiting node is evaluated; a held keep is applied
inline constexpr const char* Reject = "reject";   ///< an awaiting node never runs; a held keep is refused
inline constexpr const char* Edit = "edit";       ///< payload {"commit", "description"}: a hand-made child, evaluated
inline constexpr const char* Revert = "revert";   ///< a kept node is reverted with its clade
inline constexpr const char* Branch = "branch";   ///< payload {"times": N}: the next N expansions start here (0: until unpinned)
inline constexpr const char* Unpin = "unpin";
inline constexpr const char* Note = "note";       ///< the note is the text
inline constexpr const char* Tag = "tag";         ///< payload {"tag": "..."}
inline constexpr const char* Untag = "untag";     ///< payload {"tag": "..."}
inline constexpr const char* Star = "star";
inline constexpr const char* Unstar = "unstar";
} // namespace DecisionAction

/// Every action name above, in the order the command line lists them.
const std::vector<std::string>& decisionActions();

/// A decision as a person asks for it (GUI, `clade approve`, ...).
struct DecisionRequest {
    int nodeId = -1;
    std::string action;
    std::string note;
    nlohmann::json payload = nlohmann::json::object();
};

/// What became of a submitted decision.
struct DecisionReceipt {
    std::int64_t inboxId = 0;
    /// True when no process owned the run, so the decision was applied at once; false when
    /// it waits in the inbox for the owner (a running search applies it within a second).
    bool appliedNow = false;
    std::string outcome; ///< applied: what happened ("node 7 approved: queued for evaluation")
    /// Bytes of the note or tag that were not UTF-8, stored as U+FFFD; for the caller to say.
    int invalidUtf8Bytes = 0;
};

/// Checks the request against the run (the node exists, the action fits its state), then
/// appends it to the run's decisions inbox as the current OS user. A note or tag that is
/// not UTF-8 is repaired first (U+FFFD; counted in the receipt). When no process owns
/// the run, takes the owner lock for a moment and applies it. Throws InputError with a
/// message for a person (unknown node or action, "node 7 is not awaiting approval", ...).
DecisionReceipt submitDecision(const std::filesystem::path& runDir, const DecisionRequest& request);

/// The nodes a person reverted, read from the run's decisions: with their clades, no
/// strategy builds on them (see blockedNodes()).
std::set<int> personRevertedNodes(RunStore& store);

/// The OS user who decides: the login name, else the numeric uid.
std::string currentUserName();

} // namespace clade::engine
