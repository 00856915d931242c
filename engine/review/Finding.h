#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace clade::engine {

/// One reason a person should look at a change before it runs (or before it is kept).
/// Findings are stored with the node (artifacts/<id>/review.json) and copied into every
/// decision taken on it, so the audit trail shows what the reviewer saw.
struct Finding {
    /// Which detector: "protected-path", "harness", "improver", "risky-call", "diff-size",
    /// "binary-file", "exec-bit", "score-jump", "guard-worsening", "policy" (ask-always holds everything).
    std::string detector;
    std::string path;    ///< file relative to the agent folder; empty for a node-level finding
    int line = 0;        ///< 1-based line in the new version; 0 when not about one line
    std::string message; ///< one sentence for a person: what changed and why it matters
    std::string excerpt; ///< the offending line, trimmed, at most 200 characters

    bool operator==(const Finding&) const = default;
};

/// `line` without surrounding blanks, cut to 200 bytes at a UTF-8 character boundary.
std::string findingExcerpt(std::string_view line);

/// [{"detector":..., "path":..., "line":..., "message":..., "excerpt":...}, ...]
nlohmann::json findingsToJson(const std::vector<Finding>& findings);
/// Throws InputError naming `source` and the field when the JSON is not such a list.
std::vector<Finding> findingsFromJson(const nlohmann::json& json, const std::string& source);

} // namespace clade::engine
