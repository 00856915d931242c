#include "engine/propose/AnswerText.h"

#include "engine/util/Utf8Text.h"

#include <algorithm>
#include <cctype>

namespace clade::engine {

namespace {

constexpr std::string_view kSpace = " \t\r\f\v";

bool isPathChar(char c)
{
    // Backslashes and '~' are read so that the path check can reject them by name.
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("._-/+@~\\").find(c) != std::string_view::npos;
}

// A token that can only be a file path: one of the files, or path characters with a '.' or
// '/' ("python" or "Output" are not paths; "heuristic.py", "src/Makefile" are).
bool looksLikePath(std::string_view token, const FileSet& files)
{
    if (token.empty())
        return false;
    if (files.count(std::string(token)))
        return true;
    bool alnum = false;
    for (char c : token) {
        if (!isPathChar(c))
            return false;
        alnum = alnum || std::isalnum(static_cast<unsigned char>(c));
    }
    return alnum && token.find_first_of("./") != std::string_view::npos;
}

bool startsWithNoCase(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), text.begin(), [](char lower, char c) {
               return std::tolower(static_cast<unsigned char>(c)) == lower;
           });
}

// Peels the markdown models wrap a file name in until nothing changes:
// "### **File:** `src/a.py`:" -> "src/a.py".
std::string stripDecorations(std::string_view line)
{
    std::string text(line);
    for (std::size_t at; (at = text.find("**")) != std::string::npos;)
        text.erase(at, 2);
    for (std::string before; before != text;) {
        before = text;
        text = std::string(trimmed(text));
        const std::size_t hashes = text.find_first_not_of('#');
        text.erase(0, hashes == std::string::npos ? text.size() : hashes);
        text = std::string(trimmed(text));
        if (text.starts_with("- ") || text.starts_with("* "))
            text.erase(0, 2);
        if (text.ends_with(':'))
            text.pop_back();
        for (std::string_view label : {"file:", "filename:", "file name:", "path:"})
            if (startsWithNoCase(text, label))
                text.erase(0, label.size());
        for (char quote : {'`', '"', '\'', '*'})
            if (text.size() >= 2 && text.front() == quote && text.back() == quote)
                text = text.substr(1, text.size() - 2);
    }
    return text;
}

} // namespace

TextLines TextLines::split(std::string_view text)
{
    TextLines out;
    out.finalNewline = text.empty() || text.back() == '\n';
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        out.lines.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::string TextLines::join() const
{
    std::string text;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i > 0)
            text += '\n';
        text += lines[i];
    }
    if (finalNewline && !lines.empty())
        text += '\n';
    return text;
}

std::optional<Fence> fenceLine(std::string_view line)
{
    const std::size_t indent = line.find_first_not_of(' ');
    if (indent == std::string_view::npos || indent > 3)
        return std::nullopt;
    const char mark = line[indent];
    if (mark != '`' && mark != '~')
        return std::nullopt;
    const std::size_t end = std::min(line.find_first_not_of(mark, indent), line.size());
    if (end - indent < 3)
        return std::nullopt;
    Fence fence{mark, end - indent, std::string(trimmed(line.substr(end)))};
    // ```x``` on one line is inline code, not a fence (CommonMark).
    if (mark == '`' && fence.info.find('`') != std::string::npos)
        return std::nullopt;
    return fence;
}

std::size_t fenceEnd(const std::vector<std::string>& lines, std::size_t open)
{
    const Fence opening = *fenceLine(lines[open]);
    // A fence with an info string inside the block opens a nested one (an example in a
    // README or a docstring); its bare closing line must not end the outer block.
    int nested = 0;
    for (std::size_t i = open + 1; i < lines.size(); ++i) {
        const auto fence = fenceLine(lines[i]);
        if (!fence || fence->mark != opening.mark)
            continue;
        if (!fence->info.empty())
            ++nested;
        else if (nested > 0)
            --nested;
        else if (fence->length >= opening.length)
            return i;
    }
    return lines.size();
}

std::string pathNamedBy(std::string_view line, const FileSet& files)
{
    const std::string whole = stripDecorations(line);
    if (looksLikePath(whole, files))
        return whole;
    // "Here is the updated `heuristic.py`:" names a file only if it is one we know; a
    // backticked `self.x` in a sentence is not a path.
    std::string named;
    for (std::size_t open = line.find('`'); open != std::string_view::npos;) {
        const std::size_t close = line.find('`', open + 1);
        if (close == std::string_view::npos)
            break;
        const std::string token(line.substr(open + 1, close - open - 1));
        if (files.count(token))
            named = token;
        open = line.find('`', close + 1);
    }
    return named;
}

std::string pathInFenceInfo(std::string_view info, const FileSet& files)
{
    std::size_t start = info.find_first_not_of(kSpace);
    while (start != std::string_view::npos) {
        const std::size_t end = std::min(info.find_first_of(kSpace, start), info.size());
        std::string_view token = info.substr(start, end - start);
        start = info.find_first_not_of(kSpace, end);
        if (const std::size_t equals = token.find('='); equals != std::string_view::npos) {
            const std::string key(token.substr(0, equals));
            if (key != "path" && key != "file" && key != "filename" && key != "title")
                continue;
            token = token.substr(equals + 1);
        } else if (const std::size_t colon = token.find(':'); colon != std::string_view::npos) {
            token = token.substr(colon + 1); // python:heuristic.py
        }
        const std::string path = stripDecorations(token);
        if (looksLikePath(path, files))
            return path;
    }
    return {};
}

std::string pathBefore(const std::vector<std::string>& lines, std::size_t at, std::size_t floor,
                       const FileSet& files)
{
    const auto previousNonBlank = [&] {
        while (at > floor)
            if (!isBlank(lines[--at]))
                return true;
        return false;
    };
    if (!previousNonBlank())
        return {};
    if (const auto fence = fenceLine(lines[at])) {
        if (std::string path = pathInFenceInfo(fence->info, files); !path.empty())
            return path;
        if (!previousNonBlank())
            return {};
    }
    return pathNamedBy(lines[at], files);
}

std::string unsafePathError(const std::string& path)
{
    bool plain = !path.empty() && path.front() != '/' && path.back() != '/' &&
                 path.find_first_of(std::string_view("\\\0", 2)) == std::string::npos;
    for (std::size_t start = 0; plain && start <= path.size();) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        const std::string_view part = std::string_view(path).substr(start, end - start);
        plain = !part.empty() && part != "." && part != ".." && part != ".git";
        start = end + 1;
    }
    if (plain)
        return {};
    return quoted(path) + " is not a plain relative path (expected a path inside the agent's "
                          "folder without a leading '/' or '..', like 'src/solve.py')";
}

std::string missingFileError(const std::string& path, const FileSet& files)
{
    std::string list;
    constexpr std::size_t kListed = 12;
    std::size_t count = 0;
    for (const auto& [name, content] : files) {
        if (count++ == kListed) {
            list += ", ...";
            break;
        }
        list += (list.empty() ? "" : ", ") + name;
    }
    return quoted(path) + " does not exist (the files are: " + (list.empty() ? "none" : list) + ")";
}

std::string_view trimmed(std::string_view text)
{
    const std::size_t start = text.find_first_not_of(kSpace);
    return start == std::string_view::npos ? std::string_view() : rightTrimmed(text.substr(start));
}

std::string_view rightTrimmed(std::string_view text)
{
    const std::size_t end = text.find_last_not_of(kSpace);
    return end == std::string_view::npos ? std::string_view() : text.substr(0, end + 1);
}

bool isBlank(std::string_view text)
{
    return text.find_first_not_of(kSpace) == std::string_view::npos;
}

std::string quoted(std::string_view line)
{
    constexpr std::size_t kLongest = 100; // characters
    return "'" + elide(line, kLongest, "...") + "'";
}

} // namespace clade::engine
