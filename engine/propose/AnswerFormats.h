#pragma once
// The three edit formats applyAnswer reads, one file each (SearchReplace.cpp,
// UnifiedDiffApply.cpp, WholeFileBlocks.cpp). Internal to engine/propose.

#include "engine/propose/AnswerEdits.h"

#include <optional>
#include <string>
#include <vector>

namespace clade::engine {

/// What one format made of an answer: the edited files, or (error set) why they did not apply.
struct FormatOutcome {
    FileSet files;
    std::string error;
};

/// Each reader takes the answer's lines (newlines already normalised) and returns nullopt when
/// the answer holds no edit in its format, so applyAnswer can try the next one.
std::optional<FormatOutcome> applySearchReplaceBlocks(const std::vector<std::string>& answer,
                                                      const FileSet& files,
                                                      const std::string& defaultPath);
std::optional<FormatOutcome> applyUnifiedDiff(const std::vector<std::string>& answer,
                                              const FileSet& files, const std::string& defaultPath);
std::optional<FormatOutcome> applyWholeFileBlocks(const std::vector<std::string>& answer,
                                                  const FileSet& files,
                                                  const std::string& defaultPath);

} // namespace clade::engine
