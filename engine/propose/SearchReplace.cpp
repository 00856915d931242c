// SEARCH/REPLACE blocks as aider and OpenEvolve ask models to write them:
//
//   path/to/file.py
//   ```python
//   <<<<<<< SEARCH
//   old lines
//   =======
//   new lines
//   >>>>>>> REPLACE
//   ```
#include "engine/propose/AnswerFormats.h"
#include "engine/propose/AnswerText.h"
#include "engine/propose/LineMatch.h"

#include <algorithm>

namespace clade::engine {

namespace {

// aider writes seven marks; models miscount, so five to nine are read.
bool isMarker(std::string_view line, char mark, std::string_view word)
{
    const std::size_t marks = std::min(line.find_first_not_of(mark), line.size());
    return marks >= 5 && marks <= 9 && trimmed(line.substr(marks)) == word;
}

bool isSearch(std::string_view line)
{
    return isMarker(line, '<', "SEARCH");
}

bool isDivider(std::string_view line)
{
    return isMarker(line, '=', "");
}

bool isReplace(std::string_view line)
{
    return isMarker(line, '>', "REPLACE");
}

struct Block {
    int number = 0;
    std::string path;
    std::vector<std::string> search;
    std::vector<std::string> replace;
};

std::string blockName(const Block& block)
{
    return "SEARCH/REPLACE block " + std::to_string(block.number) +
           (block.path.empty() ? std::string() : " for " + quoted(block.path));
}

// Collects lines after `from` up to the first line `ends`; the index of that line, or
// lines.size() when none comes before a line `breaks`.
template <typename Ends, typename Breaks>
std::size_t collect(const std::vector<std::string>& lines, std::size_t from, Ends ends,
                    Breaks breaks, std::vector<std::string>& into)
{
    for (std::size_t i = from; i < lines.size(); ++i) {
        if (ends(lines[i]))
            return i;
        if (breaks(lines[i]))
            return lines.size();
        into.push_back(lines[i]);
    }
    return lines.size();
}

// The blocks in the order written; a block without a path of its own continues the file of
// the block before it (models name the file once for several blocks), else `defaultPath`.
std::vector<Block> readBlocks(const std::vector<std::string>& lines, const FileSet& files,
                              const std::string& defaultPath, std::string& error)
{
    std::vector<Block> blocks;
    std::size_t floor = 0;
    for (std::size_t i = 0; i < lines.size() && error.empty(); ++i) {
        if (!isSearch(lines[i]))
            continue;
        Block block;
        block.number = static_cast<int>(blocks.size()) + 1;
        block.path = pathBefore(lines, i, floor, files);
        if (block.path.empty())
            block.path = blocks.empty() ? defaultPath : blocks.back().path;
        const std::size_t divider = collect(
            lines, i + 1, isDivider,
            [](std::string_view line) { return isSearch(line) || isReplace(line); }, block.search);
        const std::size_t end = divider == lines.size() ? divider
                                                        : collect(lines, divider + 1, isReplace,
                                                                  isSearch, block.replace);
        if (divider == lines.size())
            error = blockName(block) + ": no '=======' line after '<<<<<<< SEARCH'";
        else if (end == lines.size())
            error = blockName(block) + ": no '>>>>>>> REPLACE' line after '======='";
        else if (block.path.empty())
            error = blockName(block) +
                    ": no file name (write the file's path on the line before the block)";
        blocks.push_back(std::move(block));
        i = floor = end;
        ++floor;
    }
    return blocks;
}

std::string applyBlock(const Block& block, FileSet& files)
{
    if (std::string unsafe = unsafePathError(block.path); !unsafe.empty())
        return blockName(block) + ": " + unsafe;
    const auto file = files.find(block.path);
    const bool emptySearch = std::all_of(block.search.begin(), block.search.end(),
                                         [](const auto& line) { return isBlank(line); });
    if (emptySearch) {
        // An empty SEARCH creates the file; on a file that exists it appends, as in aider.
        TextLines text = TextLines::split(file == files.end() ? "" : file->second);
        text.lines.insert(text.lines.end(), block.replace.begin(), block.replace.end());
        text.finalNewline = true;
        files[block.path] = text.join();
        return {};
    }
    if (file == files.end())
        return blockName(block) + ": " + missingFileError(block.path, files) +
               "; to create a file, leave SEARCH empty";

    // Where SEARCH stands several times, the first is replaced, as aider and OpenEvolve do:
    // the model is asked to quote enough lines to be unique.
    TextLines text = TextLines::split(file->second);
    std::optional<ReindentedMatch> match;
    for (const auto compare : {LineCompare::Exact, LineCompare::IgnoreTrailingSpace}) {
        if (const auto runs = findLineRuns(text.lines, block.search, compare); !runs.empty()) {
            match = ReindentedMatch{runs.front(), block.replace};
            break;
        }
    }
    if (!match)
        match = findReindented(text.lines, block.search, block.replace);
    if (!match) {
        const auto first = std::find_if(block.search.begin(), block.search.end(),
                                        [](const auto& line) { return !isBlank(line); });
        const std::string hint = nearMissHint(text.lines, block.search);
        return blockName(block) + ": the SEARCH text is not in the file (SEARCH begins with " +
               quoted(*first) + ")" + (hint.empty() ? "" : "; " + hint);
    }
    const auto at = text.lines.begin() + static_cast<std::ptrdiff_t>(match->at);
    text.lines.erase(at, at + static_cast<std::ptrdiff_t>(block.search.size()));
    text.lines.insert(text.lines.begin() + static_cast<std::ptrdiff_t>(match->at),
                      match->replacement.begin(), match->replacement.end());
    file->second = text.join();
    return {};
}

} // namespace

std::optional<FormatOutcome> applySearchReplaceBlocks(const std::vector<std::string>& answer,
                                                      const FileSet& files,
                                                      const std::string& defaultPath)
{
    if (std::none_of(answer.begin(), answer.end(), [](const auto& line) { return isSearch(line); }))
        return std::nullopt;
    FormatOutcome outcome{files, {}};
    const std::vector<Block> blocks = readBlocks(answer, files, defaultPath, outcome.error);
    // Later blocks see what earlier ones replaced.
    for (std::size_t i = 0; i < blocks.size() && outcome.error.empty(); ++i)
        outcome.error = applyBlock(blocks[i], outcome.files);
    return outcome;
}

} // namespace clade::engine
