#pragma once

#include <QString>
#include <QStringView>

#include <vector>

namespace clade::models {

/// Characters [start, start + length) of one line, in QString (UTF-16) positions.
struct TextSpan {
    int start = 0;
    int length = 0;
    friend bool operator==(const TextSpan&, const TextSpan&) = default;
};

/// What to emphasise in a deleted line and the added line that replaces it.
struct IntralineChanges {
    std::vector<TextSpan> oldSpans;
    std::vector<TextSpan> newSpans;
    bool empty() const { return oldSpans.empty() && newSpans.empty(); }
};

/// The parts of `oldLine` and `newLine` that differ, so a reviewer sees that `15` became
/// `16.5` without comparing two long lines by eye. Lines are split into tokens (a run of
/// letters, digits and `_`; a run of blanks; any other single character), the longest
/// common token sequence is kept, and neighbouring changed tokens are joined into one span
/// (also across a blank between them). Empty when the lines are equal, when either has
/// more than 500 tokens, or when they share too little for the emphasis to mean anything:
/// no non-blank character, under 40 % of the shorter line's non-blank characters while
/// more than one stretch changed on a side, or under 20 % in any case.
IntralineChanges intralineChanges(QStringView oldLine, QStringView newLine);

/// A deleted line and the added line that replaced it, within one change block.
struct LinePair {
    int deleted = 0; ///< index into the block's deleted lines
    int added = 0;   ///< index into its added lines
    IntralineChanges changes;
};

/// Pairs the lines of a change block (its deleted lines, then its added ones, as a hunk
/// lists them) that are edits of each other, in order: each deleted line takes the first
/// later added line it shares enough with (see intralineChanges()). Blocks of more than
/// 10,000 line comparisons pair line i with line i only.
std::vector<LinePair> pairSimilarLines(const std::vector<QString>& deleted,
                                       const std::vector<QString>& added);

} // namespace clade::models
