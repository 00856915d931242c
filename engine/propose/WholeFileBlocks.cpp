// Whole files in fenced code blocks, each tagged with its path: on the line before the fence
// (x.py, `x.py`, **x.py**, ### x.py, File: x.py) or in its info string (```python x.py,
// ```x.py, ```path=x.py).
#include "engine/propose/AnswerFormats.h"
#include "engine/propose/AnswerText.h"

#include <algorithm>

namespace clade::engine {

namespace {

struct CodeBlock {
    std::string path; ///< "" when the block names no file
    std::vector<std::string> lines;
    bool closed = true;
};

std::vector<CodeBlock> readCodeBlocks(const std::vector<std::string>& lines, const FileSet& files)
{
    std::vector<CodeBlock> blocks;
    std::size_t floor = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (!fenceLine(lines[i]))
            continue;
        const std::size_t end = fenceEnd(lines, i);
        blocks.push_back({pathBefore(lines, i + 1, floor, files),
                          {lines.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                           lines.begin() + static_cast<std::ptrdiff_t>(end)},
                          end < lines.size()});
        i = end;
        floor = end + 1;
    }
    return blocks;
}

} // namespace

std::optional<FormatOutcome> applyWholeFileBlocks(const std::vector<std::string>& answer,
                                                  const FileSet& files,
                                                  const std::string& defaultPath)
{
    std::vector<CodeBlock> blocks = readCodeBlocks(answer, files);
    if (blocks.empty())
        return std::nullopt;
    FormatOutcome outcome{files, {}};
    // Blocks without a name beside named ones are examples or commands, not files; a lone
    // unnamed block is the one file the prompt showed.
    const bool anyNamed =
        std::any_of(blocks.begin(), blocks.end(), [](const auto& b) { return !b.path.empty(); });
    if (!anyNamed && (blocks.size() > 1 || defaultPath.empty())) {
        outcome.error = (blocks.size() == 1 ? std::string("the code block names no file")
                                            : "none of the " + std::to_string(blocks.size()) +
                                                  " code blocks names its file") +
                        ": write each file's path on the line before its fence, like "
                        "`src/solve.py`";
        return outcome;
    }
    if (!anyNamed)
        blocks.front().path = defaultPath;

    // Several blocks for one path: the last wins, as the model's final word.
    for (const CodeBlock& block : blocks) {
        if (block.path.empty())
            continue;
        if (std::string unsafe = unsafePathError(block.path); !unsafe.empty()) {
            outcome.error = "code block: " + unsafe;
            break;
        }
        if (!block.closed) {
            outcome.error = "the code block for " + quoted(block.path) +
                            " has no closing fence (the answer may have been cut off)";
            break;
        }
        outcome.files[block.path] = TextLines{block.lines, true}.join();
    }
    return outcome;
}

} // namespace clade::engine
