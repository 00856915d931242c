#include "engine/propose/AnswerEdits.h"

#include "engine/propose/AnswerFormats.h"
#include "engine/propose/AnswerText.h"

#include <algorithm>

namespace clade::engine {

namespace {

std::vector<std::string> answerLines(const std::string& answer)
{
    std::string text;
    text.reserve(answer.size());
    for (std::size_t i = 0; i < answer.size(); ++i)
        if (answer[i] != '\r' || i + 1 == answer.size() || answer[i + 1] != '\n')
            text += answer[i];
    return TextLines::split(text).lines;
}

AppliedAnswer applied(EditFormat format, const FileSet& before, FormatOutcome outcome)
{
    AppliedAnswer answer;
    answer.format = format;
    if (!outcome.error.empty()) {
        answer.error = std::move(outcome.error);
        return answer;
    }
    answer.ok = true;
    for (const auto& [path, content] : before) {
        const auto after = outcome.files.find(path);
        if (after == outcome.files.end())
            answer.deleted.push_back(path);
        if (after == outcome.files.end() || after->second != content)
            answer.changed.push_back(path);
    }
    for (const auto& [path, content] : outcome.files)
        if (!before.count(path))
            answer.changed.push_back(path);
    std::sort(answer.changed.begin(), answer.changed.end());
    answer.files = std::move(outcome.files);
    return answer;
}

} // namespace

const char* editFormatName(EditFormat format)
{
    switch (format) {
    case EditFormat::WholeFiles:
        return "whole-file";
    case EditFormat::SearchReplace:
        return "search-replace";
    case EditFormat::UnifiedDiff:
        return "unified-diff";
    }
    return "whole-file";
}

AppliedAnswer applyAnswer(const std::string& answer, const FileSet& files,
                          const std::string& defaultPath)
{
    const std::vector<std::string> lines = answerLines(answer);
    // SEARCH/REPLACE first: its blocks may quote diff or fence lines, never the other way.
    using Reader = std::optional<FormatOutcome> (*)(const std::vector<std::string>&, const FileSet&,
                                                    const std::string&);
    const std::pair<EditFormat, Reader> readers[] = {
        {EditFormat::SearchReplace, &applySearchReplaceBlocks},
        {EditFormat::UnifiedDiff, &applyUnifiedDiff},
        {EditFormat::WholeFiles, &applyWholeFileBlocks},
    };
    for (const auto& [format, read] : readers)
        if (auto outcome = read(lines, files, defaultPath))
            return applied(format, files, std::move(*outcome));
    AppliedAnswer none;
    none.error = "the answer holds no file edits (expected whole files in fenced blocks, "
                 "SEARCH/REPLACE blocks or a unified diff)";
    return none;
}

} // namespace clade::engine
