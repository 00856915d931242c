#include "engine/manifest/ReviewRules.h"

#include <climits>
#include <cmath>
#include <regex>

#include <nlohmann/json.hpp>

#include "engine/manifest/ManifestJson.h"
#include "engine/manifest/PathPattern.h"

namespace clade::engine {

using json = nlohmann::json;

namespace {

const char* const kReviewExpected =
    "an object with any of improver, patterns, max_changed_lines, score_jump, guard_worsening";
const char* const kPatternShape =
    "{\"pattern\": \"<regular expression>\", \"message\": \"...\", \"files\": [...]}";

std::string indexed(const std::string& field, std::size_t i)
{
    return field + "[" + std::to_string(i) + "]";
}

std::vector<std::string> readImprover(const ManifestJson& in, const json& value)
{
    if (!value.is_array())
        in.fail("review.improver", "an array of relative paths");
    std::vector<std::string> paths;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string field = indexed("review.improver", i);
        const std::string path = in.nonEmptyString(value[i], field);
        if (!isPlainRelativePath(path))
            in.fail(field, "a relative path inside the agent folder (no leading '/', no '.', "
                           "'..' or empty parts), not '" + path + "'");
        paths.push_back(path);
    }
    return paths;
}

RiskPattern readPattern(const ManifestJson& in, const json& value, const std::string& field)
{
    if (!value.is_object())
        in.fail(field, std::string("an object ") + kPatternShape);
    in.checkKeys(value, field, {"pattern", "message", "files"});
    RiskPattern pattern;
    const std::string patternField = field + ".pattern";
    pattern.pattern = in.nonEmptyString(
        in.required(value, "pattern", patternField, "a regular expression"), patternField);
    // Compiled here so a typo fails when the run starts, not on the first matching proposal.
    try {
        std::regex compiled(pattern.pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& error) {
        in.fail(patternField, "a valid ECMAScript regular expression ('" + pattern.pattern +
                                  "': " + error.what() + ")");
    }
    const std::string messageField = field + ".message";
    pattern.message = in.nonEmptyString(
        in.required(value, "message", messageField, "a non-empty string"), messageField);
    if (const auto it = value.find("files"); it != value.end()) {
        if (!it->is_array())
            in.fail(field + ".files", "an array of file name wildcards such as \"*.rb\"");
        for (std::size_t i = 0; i < it->size(); ++i)
            pattern.files.push_back(in.nonEmptyString((*it)[i], indexed(field + ".files", i)));
    }
    return pattern;
}

void readScoreJump(const ManifestJson& in, const json& value, ReviewRules& rules)
{
    if (!value.is_object())
        in.fail("review.score_jump", "an object {\"factor\": ..., \"min\": ...}");
    in.checkKeys(value, "review.score_jump", {"factor", "min"});
    if (const auto it = value.find("factor"); it != value.end()) {
        // Below 1 a node would be flagged for improving less than its siblings.
        if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 1)
            in.fail("review.score_jump.factor", "a number >= 1");
        rules.scoreJumpFactor = it->get<double>();
    }
    if (const auto it = value.find("min"); it != value.end()) {
        if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0)
            in.fail("review.score_jump.min", "a number >= 0 (in the primary metric's units)");
        rules.scoreJumpMin = it->get<double>();
    }
}

} // namespace

json reviewRulesToJson(const ReviewRules& rules)
{
    json patterns = json::array();
    for (const RiskPattern& p : rules.patterns)
        patterns.push_back({{"pattern", p.pattern}, {"message", p.message}, {"files", p.files}});
    return {{"improver", rules.improver},
            {"patterns", std::move(patterns)},
            {"max_changed_lines", rules.maxChangedLines},
            {"score_jump", {{"factor", rules.scoreJumpFactor}, {"min", rules.scoreJumpMin}}},
            {"guard_worsening", rules.guardWorsening}};
}

ReviewRules readReviewRules(const ManifestJson& in, const json& value)
{
    if (!value.is_object())
        in.fail("review", kReviewExpected);
    in.checkKeys(value, "review",
                 {"improver", "patterns", "max_changed_lines", "score_jump", "guard_worsening"});
    ReviewRules rules;
    if (const auto it = value.find("improver"); it != value.end())
        rules.improver = readImprover(in, *it);
    if (const auto it = value.find("patterns"); it != value.end()) {
        if (!it->is_array())
            in.fail("review.patterns", std::string("an array of objects ") + kPatternShape);
        for (std::size_t i = 0; i < it->size(); ++i)
            rules.patterns.push_back(readPattern(in, (*it)[i], indexed("review.patterns", i)));
    }
    if (const auto it = value.find("max_changed_lines"); it != value.end())
        rules.maxChangedLines = static_cast<int>(
            in.integer(*it, "review.max_changed_lines", 1, INT_MAX, "a positive integer"));
    if (const auto it = value.find("score_jump"); it != value.end())
        readScoreJump(in, *it, rules);
    // Absent from run.json written before it existed: the default applies.
    if (const auto it = value.find("guard_worsening"); it != value.end()) {
        if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0)
            in.fail("review.guard_worsening",
                    "a number >= 0 (how much worse than the parent's a guard metric may get, "
                    "as a fraction of the parent's value, before a keep that raises the "
                    "primary score waits for review: 0.5 allows 50%)");
        rules.guardWorsening = it->get<double>();
    }
    return rules;
}

} // namespace clade::engine
