// A unified diff (git diff, diff -u) as models write it. Their line numbers are often wrong
// and their counts more so, so a hunk ends where its lines stop looking like hunk lines and
// is placed by its context and removed lines, nearest the line it names.
#include "engine/propose/AnswerFormats.h"
#include "engine/propose/AnswerText.h"
#include "engine/propose/LineMatch.h"

#include <algorithm>
#include <charconv>

namespace clade::engine {

namespace {

struct Hunk {
    std::optional<std::size_t> oldStart; ///< 1-based, as written; none for "@@ ... @@"
    std::string kinds;                   ///< ' ', '-' or '+' for each of `lines`
    std::vector<std::string> lines;      ///< without their kind
    std::vector<std::string> before;     ///< context and removed lines
    std::optional<bool> finalNewline;    ///< from "\ No newline at end of file"

    /// What replaces `before` standing at `at`: the file's own context lines (they may differ
    /// from the hunk's in trailing spaces) and the added lines.
    std::vector<std::string> after(const std::vector<std::string>& text, std::size_t at) const
    {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (kinds[i] == ' ')
                out.push_back(text[at++]);
            else if (kinds[i] == '-')
                ++at;
            else
                out.push_back(lines[i]);
        }
        return out;
    }
};

struct FilePatch {
    std::string oldPath; ///< "" for /dev/null: the patch creates the file
    std::string newPath; ///< "" for /dev/null: the patch deletes the file
    std::vector<Hunk> hunks;
};

bool isHeader(const std::vector<std::string>& lines, std::size_t i)
{
    return lines[i].starts_with("--- ") && i + 1 < lines.size() && lines[i + 1].starts_with("+++ ");
}

// "--- a/src/x.py\t2024-01-01 10:00" -> "a/src/x.py"; "--- /dev/null" -> "".
std::string headerPath(std::string_view line)
{
    std::string_view path = line.substr(4);
    path = trimmed(path.substr(0, path.find('\t')));
    return path == "/dev/null" ? std::string() : std::string(path);
}

// git's a/ and b/ prefixes go when both sides carry theirs (or the other side is /dev/null);
// a plain `diff -u` header keeps its paths as they are.
FilePatch readHeader(const std::vector<std::string>& lines, std::size_t i)
{
    FilePatch patch{headerPath(lines[i]), headerPath(lines[i + 1]), {}};
    const bool oldPrefixed = patch.oldPath.empty() || patch.oldPath.starts_with("a/");
    const bool newPrefixed = patch.newPath.empty() || patch.newPath.starts_with("b/");
    if (oldPrefixed && newPrefixed) {
        for (std::string* path : {&patch.oldPath, &patch.newPath})
            if (!path->empty())
                path->erase(0, 2);
    }
    return patch;
}

// "@@ -12,7 +12,8 @@ def f():" -> 12; "@@ ... @@" -> none.
std::optional<std::size_t> hunkOldStart(std::string_view line)
{
    const std::size_t minus = line.find_first_not_of(' ', 2);
    if (minus == std::string_view::npos || line[minus] != '-')
        return std::nullopt;
    std::size_t start = 0;
    const char* end = line.data() + line.size();
    if (std::from_chars(line.data() + minus + 1, end, start).ec != std::errc())
        return std::nullopt;
    return start;
}

bool isHunkBody(std::string_view line)
{
    return line.empty() || std::string_view(" +-\\").find(line.front()) != std::string_view::npos;
}

// Reads the hunk whose "@@" line is at `i`; returns the index of the line after it.
std::size_t readHunk(const std::vector<std::string>& lines, std::size_t i, Hunk& hunk)
{
    hunk.oldStart = hunkOldStart(lines[i]);
    std::size_t end = i + 1;
    while (end < lines.size() && isHunkBody(lines[end]) && !isHeader(lines, end))
        ++end;
    // An empty line is a blank context line whose space was lost, except at the hunk's end,
    // where it is the gap before the prose that follows.
    std::size_t bodyEnd = end;
    while (bodyEnd > i + 1 && lines[bodyEnd - 1].empty())
        --bodyEnd;
    char previous = ' ';
    for (std::size_t j = i + 1; j < bodyEnd; ++j) {
        const std::string& line = lines[j];
        const char kind = line.empty() ? ' ' : line.front();
        const std::string text = line.empty() ? std::string() : line.substr(1);
        if (kind == '\\') {
            hunk.finalNewline = previous == '-';
            continue;
        }
        if (kind != '+')
            hunk.before.push_back(text);
        hunk.kinds += kind;
        hunk.lines.push_back(text);
        previous = kind;
    }
    return end;
}

// Every file's patch in the order written; nothing when the answer holds no diff.
std::vector<FilePatch> readPatches(const std::vector<std::string>& lines,
                                   const std::string& defaultPath, std::string& error)
{
    std::vector<FilePatch> patches;
    bool inDiffFence = false;
    for (std::size_t i = 0; i < lines.size();) {
        if (const auto fence = fenceLine(lines[i])) {
            inDiffFence = fence->info.starts_with("diff") || fence->info.starts_with("patch");
            ++i;
        } else if (isHeader(lines, i)) {
            patches.push_back(readHeader(lines, i));
            i += 2;
        } else if (lines[i].starts_with("@@")) {
            // Hunks without a file header are read inside a ```diff fence or when numbered,
            // for the one file the prompt showed.
            if (patches.empty() && !inDiffFence && !hunkOldStart(lines[i])) {
                ++i;
                continue;
            }
            if (patches.empty() && defaultPath.empty()) {
                error = "unified diff: hunk 1 has no '--- a/path' / '+++ b/path' header naming "
                        "its file";
                break;
            }
            if (patches.empty())
                patches.push_back({defaultPath, defaultPath, {}});
            i = readHunk(lines, i, patches.back().hunks.emplace_back());
        } else {
            ++i;
        }
    }
    return patches;
}

// Where the hunk's context and removed lines stand: exactly, else ignoring trailing spaces;
// of several places, the one nearest the line the hunk names, or without numbers the first
// after the previous hunk. `shift` is what earlier hunks added to the file's length.
std::optional<std::size_t> locate(const std::vector<std::string>& text, const Hunk& hunk,
                                  std::ptrdiff_t shift, std::size_t previousEnd)
{
    const auto expected = [&](std::size_t oldIndex) {
        const auto shifted = static_cast<std::ptrdiff_t>(oldIndex) + shift;
        return std::clamp<std::ptrdiff_t>(shifted, 0, static_cast<std::ptrdiff_t>(text.size()));
    };
    if (hunk.before.empty()) // "@@ -12,0 +13,2 @@" inserts after line 12
        return hunk.oldStart ? static_cast<std::size_t>(expected(*hunk.oldStart)) : text.size();
    for (const auto compare : {LineCompare::Exact, LineCompare::IgnoreTrailingSpace}) {
        const auto runs = findLineRuns(text, hunk.before, compare);
        if (runs.empty())
            continue;
        if (!hunk.oldStart) {
            const auto after = std::lower_bound(runs.begin(), runs.end(), previousEnd);
            return after == runs.end() ? runs.front() : *after;
        }
        const std::ptrdiff_t wanted = expected(std::max<std::size_t>(*hunk.oldStart, 1) - 1);
        return *std::min_element(runs.begin(), runs.end(), [&](std::size_t a, std::size_t b) {
            return std::abs(static_cast<std::ptrdiff_t>(a) - wanted) <
                   std::abs(static_cast<std::ptrdiff_t>(b) - wanted);
        });
    }
    return std::nullopt;
}

std::string hunkError(std::size_t number, const std::string& path, const Hunk& hunk,
                      const std::vector<std::string>& text)
{
    const auto first = std::find_if(hunk.before.begin(), hunk.before.end(),
                                    [](const auto& line) { return !isBlank(line); });
    const std::string hint = nearMissHint(text, hunk.before);
    return "unified diff hunk " + std::to_string(number) + " for " + quoted(path) +
           ": its context and removed lines are not in the file (they begin with " +
           quoted(first == hunk.before.end() ? std::string() : *first) + ")" +
           (hint.empty() ? "" : "; " + hint);
}

std::string applyPatch(const FilePatch& patch, FileSet& files)
{
    for (const std::string* path : {&patch.oldPath, &patch.newPath})
        if (std::string unsafe = unsafePathError(*path); !path->empty() && !unsafe.empty())
            return "unified diff: " + unsafe;
    if (patch.oldPath.empty() && patch.newPath.empty())
        return "unified diff: a file header has /dev/null on both sides";
    if (patch.newPath.empty()) {
        if (!files.erase(patch.oldPath))
            return "unified diff: cannot delete " + missingFileError(patch.oldPath, files);
        return {};
    }
    const auto existing = files.find(patch.oldPath.empty() ? patch.newPath : patch.oldPath);
    if (patch.oldPath.empty() && existing != files.end())
        return "unified diff: cannot create " + quoted(patch.newPath) +
               ": it exists already (write hunks that change it instead)";
    if (!patch.oldPath.empty() && existing == files.end())
        return "unified diff: " + missingFileError(patch.oldPath, files);

    TextLines text = TextLines::split(existing == files.end() ? "" : existing->second);
    std::ptrdiff_t shift = 0;
    std::size_t previousEnd = 0;
    for (std::size_t i = 0; i < patch.hunks.size(); ++i) {
        const Hunk& hunk = patch.hunks[i];
        const auto at = locate(text.lines, hunk, shift, previousEnd);
        if (!at)
            return hunkError(i + 1, patch.newPath, hunk, text.lines);
        if (hunk.finalNewline && *at + hunk.before.size() == text.lines.size())
            text.finalNewline = *hunk.finalNewline;
        const std::vector<std::string> after = hunk.after(text.lines, *at);
        const auto start = text.lines.begin() + static_cast<std::ptrdiff_t>(*at);
        text.lines.erase(start, start + static_cast<std::ptrdiff_t>(hunk.before.size()));
        text.lines.insert(text.lines.begin() + static_cast<std::ptrdiff_t>(*at), after.begin(),
                          after.end());
        shift += static_cast<std::ptrdiff_t>(after.size()) -
                 static_cast<std::ptrdiff_t>(hunk.before.size());
        previousEnd = *at + after.size();
    }
    if (!patch.oldPath.empty() && patch.oldPath != patch.newPath)
        files.erase(patch.oldPath); // a rename
    files[patch.newPath] = text.join();
    return {};
}

} // namespace

std::optional<FormatOutcome> applyUnifiedDiff(const std::vector<std::string>& answer,
                                              const FileSet& files, const std::string& defaultPath)
{
    FormatOutcome outcome{files, {}};
    const std::vector<FilePatch> patches = readPatches(answer, defaultPath, outcome.error);
    if (patches.empty() && outcome.error.empty())
        return std::nullopt;
    for (std::size_t i = 0; i < patches.size() && outcome.error.empty(); ++i)
        outcome.error = applyPatch(patches[i], outcome.files);
    return outcome;
}

} // namespace clade::engine
