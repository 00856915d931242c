#pragma once
// Reading a model's answer: lines, code fences and the file paths that tag a block. Shared by
// the edit formats; internal to engine/propose.

#include "engine/propose/AnswerEdits.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clade::engine {

/// A text as lines, remembering whether the last one ended with a newline, so an edit in the
/// middle of a file leaves its end as it was.
struct TextLines {
    std::vector<std::string> lines;
    bool finalNewline = true;

    static TextLines split(std::string_view text);
    std::string join() const;
};

/// A line that opens or closes a code fence (``` or ~~~, three or more) and its info string.
struct Fence {
    char mark = '`';
    std::size_t length = 0;
    std::string info;
};
std::optional<Fence> fenceLine(std::string_view line);

/// The index of the line closing the fence opened at `open`; lines.size() when none does.
std::size_t fenceEnd(const std::vector<std::string>& lines, std::size_t open);

/// The file path a line on its own names — `x.py`, **x.py**, ### x.py, File: x.py, x.py: —
/// or, in a sentence, a backticked name of one of `files`; "" when it names none.
std::string pathNamedBy(std::string_view line, const FileSet& files);

/// The file path a fence's info string names (python x.py, x.py, path=x.py, python:x.py).
std::string pathInFenceInfo(std::string_view info, const FileSet& files);

/// The path named just before line `at`, looking no higher than line `floor`: on the line
/// before it, or, when that line opens a fence, in the fence's info string or on the line
/// before the fence. Blank lines are skipped; "" when no path is named.
std::string pathBefore(const std::vector<std::string>& lines, std::size_t at, std::size_t floor,
                       const FileSet& files);

/// "" for a plain relative path ("src/a.py"), else an error naming it.
std::string unsafePathError(const std::string& path);

/// "'x.py' does not exist (the files are: a.py, b.py)".
std::string missingFileError(const std::string& path, const FileSet& files);

std::string_view trimmed(std::string_view text);
std::string_view rightTrimmed(std::string_view text);
bool isBlank(std::string_view text);

/// A line quoted for an error message, shortened when long.
std::string quoted(std::string_view line);

} // namespace clade::engine
