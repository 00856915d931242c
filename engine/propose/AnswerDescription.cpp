#include "engine/propose/AnswerDescription.h"

#include "engine/propose/AnswerText.h"
#include "engine/util/Utf8Text.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>
#include <vector>

namespace clade::engine {

namespace {

constexpr std::size_t kLongest = 200; // characters: a tree label, not a paragraph

bool startsWithNoCase(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), text.begin(), [](char lower, char c) {
               return std::tolower(static_cast<unsigned char>(c)) == lower;
           });
}

/// Where `tag` begins a line of `text` (after spaces), or npos. Reasoning tags are only
/// taken there: code that handles them (text.split("</think>")) has them mid-line.
std::size_t findAtLineStart(const std::string& text, const std::string& tag)
{
    for (std::size_t at = text.find(tag); at != std::string::npos; at = text.find(tag, at + 1)) {
        const std::size_t newline = at == 0 ? std::string::npos : text.rfind('\n', at - 1);
        const std::size_t lineStart = newline == std::string::npos ? 0 : newline + 1;
        if (text.find_first_not_of(" \t", lineStart) == at)
            return at;
    }
    return std::string::npos;
}

/// The answer without a reasoning model's thoughts. Some servers drop the opening tag and
/// leave only the closing one: then everything before it was thought. An unclosed block
/// (an answer cut off while thinking) runs to the end.
std::string withoutReasoning(std::string text)
{
    for (const std::string tag : {"think", "thinking", "reasoning"}) {
        const std::string open = "<" + tag + ">";
        const std::string close = "</" + tag + ">";
        for (;;) {
            const std::size_t opened = findAtLineStart(text, open);
            const std::size_t lone = findAtLineStart(text, close);
            if (lone != std::string::npos && (opened == std::string::npos || lone < opened)) {
                text.erase(0, lone + close.size());
                continue;
            }
            if (opened == std::string::npos)
                break;
            const std::size_t closed = text.find(close, opened);
            text.erase(opened, closed == std::string::npos ? std::string::npos
                                                           : closed + close.size() - opened);
        }
    }
    return text;
}

bool startsDiff(std::string_view line)
{
    return line.starts_with("diff --git ") || line.starts_with("--- ") ||
           line.starts_with("+++ ") || line.starts_with("@@");
}

/// A line of a diff after its header: context, change, "\ No newline", the next header.
bool continuesDiff(std::string_view raw)
{
    if (raw.empty() || std::string_view(" +-\\@").find(raw.front()) != std::string_view::npos)
        return true;
    for (std::string_view header : {"diff ", "index ", "new file mode", "deleted file mode"})
        if (raw.starts_with(header))
            return true;
    return false;
}

/// `line` without markdown: heading marks, quote marks, bullets, bold and code marks.
std::string undecorated(std::string_view line)
{
    std::string text;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '`')
            continue;
        if (line.substr(i, 2) == "**") {
            ++i;
            continue;
        }
        text += line[i];
    }
    for (std::string before; before != text;) {
        before = text;
        text = std::string(trimmed(text));
        text.erase(0, std::min(text.find_first_not_of("#>"), text.size()));
        text = std::string(trimmed(text));
        if (text.starts_with("- ") || text.starts_with("* ") || text.starts_with("+ "))
            text.erase(0, 2);
        if (text.size() >= 2 && text.front() == '*' && text.back() == '*')
            text = text.substr(1, text.size() - 2);
    }
    return text;
}

/// What follows `label` ("summary:") at the start of `text`, trimmed; nullopt without it.
std::optional<std::string> afterLabel(std::string_view text, std::string_view label)
{
    if (!startsWithNoCase(text, label))
        return std::nullopt;
    return std::string(trimmed(text.substr(label.size())));
}

// Openings that say nothing about the change. Models write both ' and ’.
constexpr std::string_view kInterjections[] = {"sure",       "certainly", "of course", "okay", "ok",
                                               "absolutely", "great",     "alright",   "done"};
constexpr std::string_view kFillerLines[] = {"here is",  "here's",    "here’s",        "here are",
                                             "below is", "below are", "the following", "let me"};
constexpr std::string_view kSelfOpenings[] = {"i'll ", "i’ll ",   "i will ", "i've ",
                                              "i’ve ", "i have ", "let's ",  "let’s "};

/// `text` without filler, "" when nothing else is left: "Sure! Here is the improved
/// version:" -> "", "Certainly. I'll use best fit:" -> "Use best fit".
std::string withoutFiller(std::string text)
{
    for (bool again = true; again;) {
        again = false;
        for (std::string_view word : kInterjections) {
            // The word alone, or followed by punctuation: "Okay so" is not "Okay,".
            const bool ends =
                text.size() == word.size() ||
                (text.size() > word.size() &&
                 std::string_view("!.,:").find(text[word.size()]) != std::string_view::npos);
            if (startsWithNoCase(text, word) && ends) {
                text = std::string(
                    trimmed(std::string_view(text).substr(std::min(text.size(), word.size() + 1))));
                again = true;
            }
        }
    }
    for (std::string_view filler : kFillerLines)
        if (startsWithNoCase(text, filler))
            return {};
    for (std::string_view opening : kSelfOpenings)
        if (startsWithNoCase(text, opening)) {
            text.erase(0, opening.size());
            if (!text.empty())
                text.front() =
                    static_cast<char>(std::toupper(static_cast<unsigned char>(text.front())));
        }
    if (text.ends_with(':'))
        text.pop_back();
    return std::string(trimmed(text));
}

/// A line on its own that describes nothing: a file name ("File: a.py" too), a tag, a
/// label ("Changes"), a rule. One word of ASCII, or one with a '.' or '/' in it (中文.py), is
/// never a description; one of CJK may be.
bool describesNothing(const std::string& text)
{
    const bool ascii = std::all_of(text.begin(), text.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    const bool letters = std::any_of(text.begin(), text.end(), [](char c) {
        return std::isalpha(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80;
    });
    const bool oneWord = text.find(' ') == std::string::npos;
    return !letters || (oneWord && (ascii || text.find_first_of("./") != std::string::npos)) ||
           !pathNamedBy(text, FileSet{}).empty();
}

} // namespace

std::string answerDescription(const std::string& answer)
{
    const std::vector<std::string> lines = TextLines::split(withoutReasoning(answer)).lines;
    std::string firstProse;
    bool inDiff = false;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        // Trailing spaces and CRs say nothing; leading ones make a diff's context lines.
        const std::string_view raw = rightTrimmed(lines[i]);
        const std::string_view line = trimmed(raw);
        if (fenceLine(raw)) {
            i = fenceEnd(lines, i);
            inDiff = false;
            continue;
        }
        if (line.starts_with("<<<<<<<")) {
            while (i + 1 < lines.size() && !trimmed(lines[i]).starts_with(">>>>>>>"))
                ++i;
            continue;
        }
        if (startsDiff(line) || (inDiff && continuesDiff(raw))) {
            inDiff = true;
            continue;
        }
        inDiff = false;
        const std::string text = undecorated(line);
        if (const auto summary = afterLabel(text, "summary:"); summary && !summary->empty())
            return elide(*summary, kLongest);
        if (!firstProse.empty() || text.empty())
            continue;
        std::string prose = text;
        for (std::string_view label : {"description:", "change:", "changes:"})
            if (const auto rest = afterLabel(prose, label))
                prose = *rest;
        prose = withoutFiller(prose);
        if (!describesNothing(prose))
            firstProse = prose;
    }
    return elide(firstProse, kLongest);
}

std::string changeDescription(const git::DiffStats& stats)
{
    constexpr std::size_t kNamed = 3;
    const auto all = [&](char status) {
        return std::all_of(stats.files.begin(), stats.files.end(),
                           [status](const git::FileChange& f) { return f.status == status; });
    };
    std::string text = all('A') ? "add " : all('D') ? "delete " : "edit ";
    for (std::size_t i = 0; i < std::min(kNamed, stats.files.size()); ++i) {
        const git::FileChange& file = stats.files[i];
        text += (i == 0 ? "" : ", ") + (file.newPath.empty() ? file.oldPath : file.newPath);
    }
    if (stats.files.size() > kNamed)
        text += " and " + std::to_string(stats.files.size() - kNamed) + " more";
    text += " (+" + std::to_string(stats.insertions) + " -" + std::to_string(stats.deletions) + ")";
    return elide(text, kLongest);
}

} // namespace clade::engine
