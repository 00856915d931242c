#include "engine/review/RiskyCallDetector.h"

#include "engine/review/GenericCallScanner.h"
#include "engine/review/PythonCallScanner.h"

#include <fnmatch.h>

#include <algorithm>
#include <map>
#include <regex>

namespace clade::engine {

namespace {

struct CustomPattern {
    std::regex regex;
    const RiskPattern* rule;
    std::size_t index;
};

bool appliesTo(const RiskPattern& rule, const std::string& path)
{
    if (rule.files.empty())
        return true;
    const std::size_t slash = path.rfind('/');
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    return std::any_of(rule.files.begin(), rule.files.end(), [&](const std::string& glob) {
        const bool wholePath = glob.find('/') != std::string::npos;
        return ::fnmatch(glob.c_str(), (wholePath ? path : name).c_str(), wholePath ? FNM_PATHNAME : 0) == 0;
    });
}

void addBuiltIn(std::vector<Finding>& findings, const FileChange& file,
                const std::vector<std::pair<int, std::string>>& added,
                const std::vector<RiskyReference>& references)
{
    // line -> "name (why)" parts, in the order found
    std::map<int, std::vector<std::string>> byLine;
    for (const RiskyReference& ref : references) {
        const auto it = std::lower_bound(
            added.begin(), added.end(), ref.firstLine,
            [](const std::pair<int, std::string>& line, int n) { return line.first < n; });
        if (it == added.end() || it->first > ref.lastLine)
            continue; // the reference is on lines the parent already had
        std::vector<std::string>& parts = byLine[it->first];
        const std::string part = ref.name + " (" + ref.why + ")";
        if (std::find(parts.begin(), parts.end(), part) == parts.end())
            parts.push_back(part);
    }
    for (const auto& [line, parts] : byLine) {
        std::string message = "adds ";
        for (std::size_t i = 0; i < parts.size(); ++i)
            message += (i ? "; " : "") + parts[i];
        const auto text = std::lower_bound(
            added.begin(), added.end(), line,
            [](const std::pair<int, std::string>& l, int n) { return l.first < n; });
        findings.push_back({"risky-call", file.path, line, message, findingExcerpt(text->second)});
    }
}

} // namespace

std::vector<Finding> detectRiskyCalls(const ChangeSet& change, const Manifest& manifest)
{
    std::vector<CustomPattern> custom;
    for (std::size_t i = 0; i < manifest.review.patterns.size(); ++i) {
        const RiskPattern& rule = manifest.review.patterns[i];
        // Validated when clade.json was read; a hand-built Manifest may still hold a bad one.
        try {
            custom.push_back({std::regex(rule.pattern, std::regex::ECMAScript), &rule, i});
        } catch (const std::regex_error&) {
        }
    }

    std::vector<Finding> findings;
    for (const FileChange& file : change.files) {
        if (file.binary || file.kind == FileChange::Kind::Deleted)
            continue;
        const std::vector<std::pair<int, std::string>> added = addedLines(file);
        if (added.empty())
            continue;
        const ScriptLanguage language = scriptLanguageOf(file.path, file.newText);
        if (language == ScriptLanguage::Python) {
            addBuiltIn(findings, file, added, scanPythonCalls(file.newText));
        } else {
            std::vector<int> numbers;
            numbers.reserve(added.size());
            for (const auto& line : added)
                numbers.push_back(line.first);
            addBuiltIn(findings, file, added, scanGenericCalls(language, file.newText, numbers));
        }
        for (const CustomPattern& pattern : custom) {
            if (!appliesTo(*pattern.rule, file.path))
                continue;
            for (const auto& [line, text] : added) {
                if (searchLine(pattern.regex, text))
                    findings.push_back({"risky-call", file.path, line,
                                        pattern.rule->message + " (clade.json review.patterns[" +
                                            std::to_string(pattern.index) + "])",
                                        findingExcerpt(text)});
            }
        }
    }
    return findings;
}

} // namespace clade::engine
