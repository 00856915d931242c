#pragma once
// Model answers for tst_answeredits, in each edit format, against two small agent files.
// Raw strings live here because moc cannot parse them in a test's .cpp file. Some lines end
// in spaces on purpose (blank diff context, misquoted SEARCH lines): keep them.

namespace testsupport::editanswers {

// The agent's files. "    best = None" stands twice (lines 5 and 18).
inline constexpr const char* kHeuristic = R"(import math


def score(item, bins):
    best = None
    for b in bins:
        if b.free >= item:
            best = b
            break
    return best


def name():
    return "first-fit"


def fallback(item, bins):
    best = None
    return best
)";
inline constexpr const char* kUtil = R"(def clamp(x, lo, hi):
    return max(lo, min(x, hi))
)";
inline constexpr const char* kUtilSwapped = R"(def clamp(x, lo, hi):
    return min(max(x, lo), hi)
)";

// ---- SEARCH/REPLACE ------------------------------------------------------------------------

// aider's layout: the path, then a fence holding the block.
inline constexpr const char* kSrOneFile = R"(I'll return the first bin that fits directly.

heuristic.py
```python
<<<<<<< SEARCH
        if b.free >= item:
            best = b
            break
=======
        if b.free >= item:
            return b
>>>>>>> REPLACE
```
)";

inline constexpr const char* kSrTwoFiles = R"(Two changes.

### heuristic.py
```python
<<<<<<< SEARCH
    return "first-fit"
=======
    return "first-fit-v2"
>>>>>>> REPLACE
```

`util.py`
```python
<<<<<<< SEARCH
def clamp(x, lo, hi):
    return max(lo, min(x, hi))
=======
def clamp(x, lo, hi):
    return min(max(x, lo), hi)
>>>>>>> REPLACE
```
)";

// The second block has no path of its own (the file of the block before) and searches for
// what the first one wrote. The first block's SEARCH stands twice: the first is replaced.
inline constexpr const char* kSrInOrder = R"(```python heuristic.py
<<<<<<< SEARCH
    best = None
=======
    best = []
>>>>>>> REPLACE
```

Then:

```python
<<<<<<< SEARCH
    best = []
    for b in bins:
=======
    best = list()
    for b in bins:
>>>>>>> REPLACE
```
)";

inline constexpr const char* kSrPathInsideFence = R"(```python
util.py
<<<<<<< SEARCH
    return max(lo, min(x, hi))
=======
    return min(max(x, lo), hi)
>>>>>>> REPLACE
```
)";

// SEARCH lines carry trailing spaces and a tab the file does not have.
inline constexpr const char* kSrTrailingSpace = "heuristic.py\n"
                                                "<<<<<<< SEARCH\n"
                                                "    for b in bins:   \n"
                                                "        if b.free >= item:\t\n"
                                                "=======\n"
                                                "    for b in reversed(bins):\n"
                                                "        if b.free >= item:\n"
                                                ">>>>>>> REPLACE\n";

// Quoted without the file's indentation; the replacement must be indented to fit.
inline constexpr const char* kSrOutdented = R"(heuristic.py
<<<<<<< SEARCH
if b.free >= item:
    best = b
    break
=======
if b.free >= item and b.open:
    best = b

    break
>>>>>>> REPLACE
)";

// Quoted with more indentation than the file has.
inline constexpr const char* kSrOverIndented = R"(util.py
<<<<<<< SEARCH
            def clamp(x, lo, hi):
                return max(lo, min(x, hi))
=======
            def clamp(x, lo, hi):
                return min(max(x, lo), hi)
>>>>>>> REPLACE
)";

inline constexpr const char* kSrCreates = R"(A new module:

`sub/helper.py`
```python
<<<<<<< SEARCH
=======
def helper():
    return 1
>>>>>>> REPLACE
```
)";

// No file name anywhere: the prompt's single file.
inline constexpr const char* kSrUnnamed = R"(Change:
<<<<<<< SEARCH
    return max(lo, min(x, hi))
=======
    return min(max(x, lo), hi)
>>>>>>> REPLACE
)";

inline constexpr const char* kSrNoChange = R"(util.py
<<<<<<< SEARCH
    return max(lo, min(x, hi))
=======
    return max(lo, min(x, hi))
>>>>>>> REPLACE
)";

// A unified diff inside a REPLACE: the answer is SEARCH/REPLACE and creates notes/patch.diff;
// heuristic.py stays as it is.
inline constexpr const char* kSrHoldingADiff = R"(notes/patch.diff
<<<<<<< SEARCH
=======
--- a/heuristic.py
+++ b/heuristic.py
@@ -14 +14 @@
-    return "first-fit"
+    return "best-fit"
>>>>>>> REPLACE
)";
inline constexpr const char* kSrHoldingADiffNotes = R"(--- a/heuristic.py
+++ b/heuristic.py
@@ -14 +14 @@
-    return "first-fit"
+    return "best-fit"
)";

// Block 2 quotes a line that is not in the file (the file has "for b in bins").
inline constexpr const char* kSrSecondMisses = R"(heuristic.py
<<<<<<< SEARCH
import math
=======
import math
import random
>>>>>>> REPLACE

heuristic.py
<<<<<<< SEARCH
    for bin in bins:
        if bin.free >= item:
=======
    for bin in bins:
        if bin.free > item:
>>>>>>> REPLACE
)";

// The first line stands in the file, the second differs.
inline constexpr const char* kSrDiverges = R"(heuristic.py
<<<<<<< SEARCH
    for b in bins:
        if b.free > item:
=======
    for b in bins:
        if b.free >= item + 1:
>>>>>>> REPLACE
)";

inline constexpr const char* kSrMissingFile = R"(ghost.py
<<<<<<< SEARCH
x = 1
=======
x = 2
>>>>>>> REPLACE
)";

inline constexpr const char* kSrUnterminated = R"(util.py
<<<<<<< SEARCH
    return max(lo, min(x, hi))
=======
    return min(max(x, lo), hi)
)";

inline constexpr const char* kSrAbsolutePath = R"(/etc/passwd
<<<<<<< SEARCH
=======
root::0:0::/root:/bin/sh
>>>>>>> REPLACE
)";

// ---- unified diff --------------------------------------------------------------------------

// Right numbers; blank context lines keep their space.
inline constexpr const char* kDiffOneFile = R"(```diff
--- a/heuristic.py
+++ b/heuristic.py
@@ -11,4 +11,4 @@
 
 
 def name():
-    return "first-fit"
+    return "best-fit"
```
)";

// git's own output, two files, two hunks in the first.
inline constexpr const char* kDiffTwoFiles = R"(diff --git a/heuristic.py b/heuristic.py
index 3b18e51..a9c4f2e 100644
--- a/heuristic.py
+++ b/heuristic.py
@@ -5,6 +5,6 @@ def score(item, bins):
     best = None
     for b in bins:
-        if b.free >= item:
+        if b.free > item:
             best = b
             break
     return best
@@ -17,3 +17,3 @@ def name():
 def fallback(item, bins):
-    best = None
+    best = bins[0] if bins else None
     return best
diff --git a/util.py b/util.py
--- a/util.py
+++ b/util.py
@@ -1,2 +1,3 @@
 def clamp(x, lo, hi):
+    assert lo <= hi
     return max(lo, min(x, hi))
)";

// The hunk says line 40; it stands at line 13.
inline constexpr const char* kDiffWrongNumbers = R"(--- a/heuristic.py
+++ b/heuristic.py
@@ -40,3 +40,3 @@
 def name():
-    return "first-fit"
+    return "best-fit"
)";

// "    best = None" stands at lines 5 and 18: the stated line picks one.
inline constexpr const char* kDiffNearLine18 = R"(--- a/heuristic.py
+++ b/heuristic.py
@@ -19,1 +19,1 @@
-    best = None
+    best = bins[0] if bins else None
)";
inline constexpr const char* kDiffNearLine5 = R"(--- a/heuristic.py
+++ b/heuristic.py
@@ -3,1 +3,1 @@
-    best = None
+    best = bins[0] if bins else None
)";

// No a/ b/ prefixes and no numbers.
inline constexpr const char* kDiffNoNumbers = R"(--- util.py
+++ util.py
@@ ... @@
 def clamp(x, lo, hi):
-    return max(lo, min(x, hi))
+    return min(max(x, lo), hi)
)";

// A context line with trailing spaces the file lacks, blank context lines without their
// space, and prose after the diff.
inline constexpr const char* kDiffLooseWhitespace = "--- a/heuristic.py\n"
                                                    "+++ b/heuristic.py\n"
                                                    "@@ -10,5 +10,5 @@\n"
                                                    "     return best   \n"
                                                    "\n"
                                                    "\n"
                                                    " def name():\n"
                                                    "-    return \"first-fit\"\n"
                                                    "+    return \"next-fit\"\n"
                                                    "\n"
                                                    "This renames the heuristic.\n";

inline constexpr const char* kDiffCreates = R"(--- /dev/null
+++ b/sub/new_module.py
@@ -0,0 +1,2 @@
+def helper():
+    return 1
)";

inline constexpr const char* kDiffDeletes = R"(--- a/util.py
+++ /dev/null
@@ -1,2 +0,0 @@
-def clamp(x, lo, hi):
-    return max(lo, min(x, hi))
)";

inline constexpr const char* kDiffNoFinalNewline = R"(--- a/util.py
+++ b/util.py
@@ -1,2 +1,2 @@
 def clamp(x, lo, hi):
-    return max(lo, min(x, hi))
+    return min(max(x, lo), hi)
\ No newline at end of file
)";

// Hunks without file headers, in a diff fence: the prompt's single file.
inline constexpr const char* kDiffHeaderless = R"(```diff
@@ -1,2 +1,2 @@
 def clamp(x, lo, hi):
-    return max(lo, min(x, hi))
+    return min(max(x, lo), hi)
```
)";

// Hunk 1 applies, hunk 2 quotes a line the file does not have.
inline constexpr const char* kDiffSecondHunkMisses = R"(--- a/heuristic.py
+++ b/heuristic.py
@@ -1,1 +1,2 @@
 import math
+import random
@@ -13,2 +14,2 @@
 def name():
-    return "worst-fit"
+    return "best-fit"
)";

inline constexpr const char* kDiffMissingFile = R"(--- a/ghost.py
+++ b/ghost.py
@@ -1 +1 @@
-x = 1
+x = 2
)";

inline constexpr const char* kDiffCreatesExisting = R"(--- /dev/null
+++ b/util.py
@@ -0,0 +1 @@
+x = 1
)";

inline constexpr const char* kDiffEscapes = R"(--- a/util.py
+++ b/../outside.py
@@ -1,2 +1,2 @@
 def clamp(x, lo, hi):
-    return max(lo, min(x, hi))
+    return min(max(x, lo), hi)
)";

// ---- whole files ---------------------------------------------------------------------------

inline constexpr const char* kWholeTwoFiles = R"(Both files, rewritten:

heuristic.py
```python
def score(item, bins):
    return next((b for b in bins if b.free >= item), None)
```

util.py
```python
def clamp(x, lo, hi):
    return min(max(x, lo), hi)
```
)";
inline constexpr const char* kWholeTwoFilesHeuristic = R"(def score(item, bins):
    return next((b for b in bins if b.free >= item), None)
)";

// A first draft, then the final version of the same file; a command block is not a file.
inline constexpr const char* kWholeLastWins = R"(Install nothing:

```bash
pip install nothing
```

util.py
```python
def clamp(x, lo, hi):
    return x
```

On second thought:

util.py
```python
def clamp(x, lo, hi):
    return min(max(x, lo), hi)
```
)";

inline constexpr const char* kWholeUnnamed = R"(Here it is:

```python
def clamp(x, lo, hi):
    return min(max(x, lo), hi)
```
)";

// A README holding a fenced example: the inner fence does not end the block.
inline constexpr const char* kWholeNestedFence = R"(README.md
```markdown
# Bin packing

Run it:

```bash
python heuristic.py
```

That is all.
```
)";
inline constexpr const char* kWholeNestedFenceReadme = R"(# Bin packing

Run it:

```bash
python heuristic.py
```

That is all.
)";

inline constexpr const char* kWholeEscapes = R"(../secret.py
```python
x = 1
```
)";

inline constexpr const char* kWholeUnclosed = R"(util.py
```python
def clamp(x, lo, hi):
    return min(max(x,
)";

inline constexpr const char* kWholeTwoUnnamed = R"(```python
x = 1
```

```python
x = 2
```
)";

inline constexpr const char* kNoEdits = R"(I looked at the heuristic and think it is already good.
Keeping first-fit is the best choice here.
)";

} // namespace testsupport::editanswers
