#pragma once
// What a node proposed by a model is called in the tree, the search bar and its commit.

#include "engine/git/DiffStats.h"

#include <string>

namespace clade::engine {

/// The description a model's answer gives its change, at most 200 characters: its
/// "Summary: ..." line (the prompt asks for one), else its first line of prose. Reasoning
/// (<think>, <thinking>, <reasoning> blocks), code fences, SEARCH/REPLACE blocks, diffs,
/// file names and filler ("Here is the improved version:", "Sure!") are never taken; an
/// opening such as "I'll" is dropped ("I'll use best fit" -> "Use best fit").
/// "" when the answer has no prose: see changeDescription().
std::string answerDescription(const std::string& answer);

/// A description made from what changed, for an answer that is edits alone:
/// "edit heuristic.py (+3 -1)", "add a.py, b.py (+9 -0)", "edit a.py, b.py, c.py and 2 more
/// (+12 -4)".
std::string changeDescription(const git::DiffStats& stats);

} // namespace clade::engine
