#pragma once
// Finding lines a model quoted from a file: exactly, or as models misquote them (trailing
// spaces dropped or added, the whole block indented differently). Internal to engine/propose.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace clade::engine {

enum class LineCompare { Exact, IgnoreTrailingSpace };

/// Every index of `text` where `quote` stands as consecutive lines, in order.
std::vector<std::size_t> findLineRuns(const std::vector<std::string>& text,
                                      const std::vector<std::string>& quote, LineCompare compare);

/// The first place where `quote` stands with its indentation shifted by the same amount on
/// every line, and `replacement` shifted alike so that it fits there.
struct ReindentedMatch {
    std::size_t at = 0;
    std::vector<std::string> replacement;
};
std::optional<ReindentedMatch> findReindented(const std::vector<std::string>& text,
                                              const std::vector<std::string>& quote,
                                              const std::vector<std::string>& replacement);

/// For a quote that is nowhere in `text`: where its first lines do stand and which line then
/// differs, or the line most like its first one; "" when nothing comes close.
std::string nearMissHint(const std::vector<std::string>& text,
                         const std::vector<std::string>& quote);

} // namespace clade::engine
