#include "engine/propose/PromptBuilder.h"

#include "engine/util/Utf8Text.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace clade::engine {

namespace {

constexpr std::size_t kHistoryEntries = 24; ///< half the best, half the newest
constexpr std::size_t kLogTailBytes = 6000;
constexpr std::size_t kResultLines = 40;

std::string scoreText(const std::optional<double>& score)
{
    if (!score)
        return "not evaluated";
    char text[32];
    std::snprintf(text, sizeof text, "%.4f", *score);
    return text;
}

std::string resultsText(const Node& parent)
{
    if (parent.results.empty())
        return "(none yet)";
    // Worst first: those are the tasks a change should fix.
    std::vector<std::pair<std::string, double>> sorted(parent.results.begin(), parent.results.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second < b.second; });
    std::string text;
    for (std::size_t i = 0; i < sorted.size() && i < kResultLines; ++i)
        text += "- " + sorted[i].first + ": " + scoreText(sorted[i].second) + "\n";
    if (sorted.size() > kResultLines)
        text += "- ... and " + std::to_string(sorted.size() - kResultLines) + " more tasks\n";
    return text;
}

std::string filesText(const PromptInput& input)
{
    std::string text;
    for (const auto& [path, content] : input.files) {
        text += path + "\n```" + fenceLanguage(path) + "\n" + content;
        if (!content.empty() && content.back() != '\n')
            text += "\n";
        text += "```\n\n";
    }
    for (const auto& path : input.filesLeftOut)
        text += "(" + path + " is evolvable but not shown: too large or not text)\n";
    return text.empty() ? "(no evolvable text files)\n" : text;
}

std::string historyText(const PromptInput& input, bool maximize)
{
    std::vector<const Node*> evaluated;
    for (const auto& node : input.history)
        if (node.id != input.parent.id && node.score)
            evaluated.push_back(&node);
    if (evaluated.empty())
        return "(none yet)\n";
    std::set<int> shown;
    std::vector<const Node*> byScore = evaluated;
    std::stable_sort(byScore.begin(), byScore.end(), [maximize](const Node* a, const Node* b) {
        return maximize ? *a->score > *b->score : *a->score < *b->score;
    });
    for (std::size_t i = 0; i < byScore.size() && shown.size() < kHistoryEntries / 2; ++i)
        shown.insert(byScore[i]->id);
    for (auto it = evaluated.rbegin(); it != evaluated.rend() && shown.size() < kHistoryEntries; ++it)
        shown.insert((*it)->id);
    std::string text;
    for (const Node* node : evaluated) {
        if (!shown.count(node->id))
            continue;
        text += "- node " + std::to_string(node->id);
        if (node->primaryParent() >= 0)
            text += " (from " + std::to_string(node->primaryParent()) + ")";
        text += ": score " + scoreText(node->score) + " - " + node->description + "\n";
    }
    if (evaluated.size() > shown.size())
        text += "(" + std::to_string(evaluated.size() - shown.size()) +
                " more versions not shown)\n";
    return text;
}

// The parent's evaluate log is what its commands printed, any bytes: the prompt is JSON
// on the wire, so what is not UTF-8 becomes U+FFFD, and a cut never splits a character.
std::string logTail(const std::string& log)
{
    if (log.empty())
        return "(no log)";
    if (log.size() <= kLogTailBytes)
        return toValidUtf8(log);
    std::string tail = utf8Suffix(log, kLogTailBytes);
    if (const auto newline = tail.find('\n'); newline != std::string::npos)
        tail.erase(0, newline + 1); // start on a whole line
    return "[... earlier lines cut ...]\n" + toValidUtf8(tail);
}

} // namespace

std::string fenceLanguage(const std::string& path)
{
    static const std::pair<const char*, const char*> kLanguages[] = {
        {".py", "python"}, {".cpp", "cpp"}, {".cc", "cpp"},   {".h", "cpp"},
        {".hpp", "cpp"},   {".c", "c"},     {".js", "javascript"}, {".ts", "typescript"},
        {".rs", "rust"},   {".go", "go"},   {".java", "java"}, {".json", "json"},
        {".md", "markdown"}, {".sh", "bash"}, {".txt", "text"}, {".yaml", "yaml"}};
    for (const auto& [suffix, language] : kLanguages) {
        const std::string s = suffix;
        if (path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0)
            return language;
    }
    return "";
}

std::map<std::string, std::string> promptVariables(const PromptInput& input)
{
    const Manifest& m = input.manifest;
    const bool maximize = m.direction == Direction::Maximize;
    return {{"agent_name", m.name},
            {"agent_description", m.description},
            {"metric", m.primaryMetric},
            {"direction", maximize ? "higher is better" : "lower is better"},
            {"parent_id", std::to_string(input.parent.id)},
            {"parent_score", scoreText(input.parent.score)},
            {"parent_results", resultsText(input.parent)},
            {"files", filesText(input)},
            {"history", historyText(input, maximize)},
            {"parent_log", logTail(input.parentEvaluateLog)},
            {"example_path", input.files.empty() ? "path/to/file.py" : input.files.begin()->first}};
}

} // namespace clade::engine
