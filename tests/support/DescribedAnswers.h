#pragma once
// Model answers written the messy ways real models write them, against the files of
// EditAnswers.h (heuristic.py, util.py), for the description tst_answeredits expects each
// to give its node: reasoning first, a file name or a fence first, filler first, the summary
// last. Every one applies. Raw strings live here because moc cannot parse them in a test's
// .cpp file.

namespace testsupport::describedanswers {

// DeepSeek-R1, Qwen3: the thoughts in <think> tags, then the answer.
inline constexpr const char* kThinkFirst = R"(<think>
The user wants a higher score. Looking at heuristic.py, score() keeps looping after it
finds a bin. Maybe best fit would be better? No, keep it small.
</think>

Return the first bin that fits instead of remembering it and breaking.

heuristic.py
```python
<<<<<<< SEARCH
            best = b
            break
=======
            return b
>>>>>>> REPLACE
```
)";

// A server that strips the opening tag leaves only the closing one.
inline constexpr const char* kClosingTagOnly = R"(Okay, so clamp takes max(lo, min(x, hi)).
When lo > hi that returns lo. Hmm, I think min(max(x, lo), hi) reads better.
</think>
Swap the order of min and max in clamp.

util.py
<<<<<<< SEARCH
    return max(lo, min(x, hi))
=======
    return min(max(x, lo), hi)
>>>>>>> REPLACE
)";

// The file name first, the explanation after the edit.
inline constexpr const char* kFileNameFirst = R"(heuristic.py
```python
<<<<<<< SEARCH
    return "first-fit"
=======
    return "best-fit"
>>>>>>> REPLACE
```

This renames the heuristic so the results table says what it does.
)";

// The diff first, in a fence; one line of prose at the end.
inline constexpr const char* kFenceFirst = R"(```diff
--- a/heuristic.py
+++ b/heuristic.py
@@ -13,2 +13,2 @@
 def name():
-    return "first-fit"
+    return "next-fit"
```
Renamed to next-fit.
)";

// Filler, then the description in bold.
inline constexpr const char* kHereIsFirst = R"(Here is the improved version.

**Fall back to the first bin when nothing else fits.**

```diff
--- a/heuristic.py
+++ b/heuristic.py
@@ -17,3 +17,3 @@
 def fallback(item, bins):
-    best = None
+    best = bins[0] if bins else None
     return best
```
)";

// An interjection and "I'll" before what the change is.
inline constexpr const char* kSureIll = R"(Sure! I'll make clamp apply hi last, so hi wins.

`util.py`
```python
def clamp(x, lo, hi):
    return min(max(x, lo), hi)
```
)";

// Filler first, the summary the prompt asks for at the end.
inline constexpr const char* kSummaryLast = R"(Certainly! Here's the updated `util.py`:

```python util.py
def clamp(x, lo, hi):
    return min(max(x, lo), hi)
```

I tested this mentally with a few values.

**Summary:** clamp applies the lower bound first, then the upper one.
)";

// <reasoning> tags, a heading, then a bullet.
inline constexpr const char* kReasoningThenBullets = R"(<reasoning>
The loop should stop early. Let me check the indentation: 8 spaces.
</reasoning>

## Changes

- Skip bins that are `None` before comparing their free space

heuristic.py
<<<<<<< SEARCH
        if b.free >= item:
=======
        if b is not None and b.free >= item:
>>>>>>> REPLACE
)";

// "Let me" narrates; the next line says what changed.
inline constexpr const char* kLetMeFirst = R"(Let me look at the current heuristic first.

Stop at the first bin that fits: the loop kept going after a match.

--- a/heuristic.py
+++ b/heuristic.py
@@ -6,4 +6,3 @@
     for b in bins:
         if b.free >= item:
-            best = b
-            break
+            return b
)";

// Code that handles reasoning tags is not reasoning: only tags that begin a line are.
inline constexpr const char* kCodeHandlesThinkTags = R"(Drop the model's reasoning before reading its answer.

util.py
```python
def answer_of(text):
    return text.split("</think>")[-1].split("<think>")[0].strip()
```
)";

// The edits alone: nothing to take; the node is named by its diff.
inline constexpr const char* kEditsOnly = R"(<think>
Just flip the bounds.
</think>
util.py
```python
<<<<<<< SEARCH
    return max(lo, min(x, hi))
=======
    return min(max(x, lo), hi)
>>>>>>> REPLACE
```
)";

} // namespace testsupport::describedanswers
