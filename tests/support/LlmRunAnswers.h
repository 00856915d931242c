#pragma once
// Scripted model answers for tst_llmrun: edits of examples/binpack/heuristic.py in each
// format the llm proposer accepts. Raw strings live here because moc cannot parse them in
// a test's .cpp file.

namespace testsupport::llmrun {

// Applies to the root only (its first-fit line); the child it makes is best fit.
inline constexpr const char* kSearchReplace = R"(Best fit: prefer the bin the item fills most.

heuristic.py
<<<<<<< SEARCH
        score = -index
=======
        score = -(remaining - item)
>>>>>>> REPLACE
)";

// Applies to any parent.
inline constexpr const char* kWholeFile = R"(**Best fit with a tie-break on the older bin.**

heuristic.py
```python
def priority(item, bins_remaining):
    # whole-file answer
    return [-(remaining - item) - 1e-6 * index for index, remaining in enumerate(bins_remaining)]
```
)";

// Matches nothing in any version of heuristic.py.
inline constexpr const char* kDoesNotApply = R"(Tighter packing.

heuristic.py
<<<<<<< SEARCH
def priority(item, bins):
    return bins
=======
def priority(item, bins):
    return [-b for b in bins]
>>>>>>> REPLACE
)";

// A whole new table.py: in the test that uses it, the agent has a table.py too large for
// the prompt, which the model therefore never saw.
inline constexpr const char* kRewritesHiddenFile = R"(A smaller table.

table.py
```python
TABLE = [1, 2, 3]
```
)";

} // namespace testsupport::llmrun
