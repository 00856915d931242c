#pragma once

#include "engine/git/RunDiff.h"
#include "models/IntralineDiff.h"

#include <QString>

#include <functional>
#include <vector>

namespace clade::ui {

/// A run of changed lines in a hunk, as git lists them: its deleted lines, then its added
/// ones (either may be empty), with the lines that are edits of each other paired for the
/// intra-line emphasis (models::pairSimilarLines).
struct ChangeBlock {
    std::vector<const git::DiffLine*> deleted;
    std::vector<const git::DiffLine*> added;
    std::vector<QString> oldTexts; ///< the deleted lines' text
    std::vector<QString> newTexts; ///< the added lines' text
    std::vector<models::LinePair> pairs;
};

/// Walks a hunk's lines in order, handing each context line to `context` and each change
/// block to `changes`: how the unified and the side-by-side views both read a hunk.
void walkHunk(const std::vector<git::DiffLine>& lines,
              const std::function<void(const git::DiffLine&)>& context,
              const std::function<void(const ChangeBlock&)>& changes);

} // namespace clade::ui
