#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace clade::engine {

/// A review decision (approve, reject, edit, revert, branch, note, ...; see
/// engine/review/Decisions.h), as asked for (inbox) or as applied (decisions table).
struct Decision {
    std::int64_t id = 0;
    int nodeId = -1;
    std::string action;
    std::string who;
    double time = 0;
    std::string note;
    /// Asked for: the action's details. Applied: those, plus "outcome" and the findings
    /// the reviewer was shown.
    nlohmann::json payload = nlohmann::json::object();
};

/// An applied decision as `clade audit --json` prints it: {"id", "node", "action", "who",
/// "time" (unix seconds), "note", "details" (the payload: outcome, findings shown, ...)}.
nlohmann::json decisionToJson(const Decision& decision);

} // namespace clade::engine
