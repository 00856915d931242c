#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace clade::engine {

class ManifestJson;

/// A per-agent risky pattern (clade.json review.patterns[]), checked on every added line
/// of the files it applies to, in any language.
struct RiskPattern {
    std::string pattern;            ///< ECMAScript regular expression, searched in the line
    std::string message;            ///< what a match means, for the reviewer
    std::vector<std::string> files; ///< shell wildcards; empty: every text file. A wildcard
                                    ///< without '/' matches the file name, else the path.

    bool operator==(const RiskPattern&) const = default;
};

/// The optional "review" section of clade.json: what the risk detectors look for beyond
/// their built-in rules. Defaults apply when the section or a field is absent.
struct ReviewRules {
    /// More paths (same matching as `protected`) that make up the agent's improver, on top
    /// of the propose command's files and the prompts.
    std::vector<std::string> improver;
    std::vector<RiskPattern> patterns;
    int maxChangedLines = 400; ///< insertions + deletions above this are flagged
    double scoreJumpFactor = 3; ///< see detectScoreJump()
    double scoreJumpMin = 0.05; ///< in the primary metric's units
    /// A keep that raises the primary score while a guard metric gets worse than the
    /// parent's by more than this fraction of it is held like a score jump (see
    /// detectGuardWorsening()). 0.5: 50% worse.
    double guardWorsening = 0.5;

    bool operator==(const ReviewRules&) const = default;
};

/// Every field spelled out, as run.json keeps it.
nlohmann::json reviewRulesToJson(const ReviewRules& rules);

/// Reads the "review" section; every problem is an InputError naming the file and the
/// field (an invalid regular expression included).
ReviewRules readReviewRules(const ManifestJson& in, const nlohmann::json& value);

} // namespace clade::engine
