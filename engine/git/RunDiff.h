#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace clade::git {

/// What a line of a hunk is, as in a unified diff's first column.
enum class DiffLineKind : char { Context = ' ', Added = '+', Deleted = '-' };

/// One line of a hunk. Line numbers are 1-based; the side a line does not exist on is -1.
struct DiffLine {
    DiffLineKind kind = DiffLineKind::Context;
    int oldLine = -1;
    int newLine = -1;
    std::string text; ///< without the line break
};

struct DiffHunk {
    int oldStart = 0;
    int oldLines = 0;
    int newStart = 0;
    int newLines = 0;
    std::string header; ///< "@@ -1,3 +1,4 @@ def f():", without the line break
    std::vector<DiffLine> lines;
};

enum class DiffFileStatus : char {
    Added = 'A',
    Modified = 'M',
    Deleted = 'D',
    Renamed = 'R',
    Copied = 'C',
    TypeChanged = 'T',
};

/// One changed file. A file too large to show (see DiffLimits) keeps its sizes and status
/// but no hunks and no line counts, so a view can say what it skipped.
struct DiffFile {
    std::string path;    ///< the new path (the old one for a deletion)
    std::string oldPath; ///< differs from path only for renames and copies
    DiffFileStatus status = DiffFileStatus::Modified;
    bool binary = false;
    bool tooLarge = false;  ///< over DiffLimits::maxFileBytes: not loaded
    bool truncated = false; ///< hunks stop early (DiffLimits::maxLinesPerFile/maxTotalLines)
    int insertions = 0;
    int deletions = 0;
    std::int64_t oldSize = 0; ///< bytes
    std::int64_t newSize = 0;
    std::vector<DiffHunk> hunks;
};

/// Bounds that keep a diff of any two commits cheap to compute and to display.
struct DiffLimits {
    std::int64_t maxFileBytes = 2 * 1024 * 1024; ///< larger blobs are summarised, not read
    int maxLinesPerFile = 20000;
    int maxTotalLines = 60000; ///< later files keep their counts but lose their hunks
    int contextLines = 3;
};

/// A diff between two commits as a plain value: safe to hand from a worker to the GUI.
struct DiffResult {
    std::vector<DiffFile> files; ///< sorted by path
    int insertions = 0;
    int deletions = 0;
    bool truncated = false; ///< some file was summarised or cut short
    bool cancelled = false; ///< `cancel` was set; `files` is incomplete
    std::string error;      ///< non-empty when the diff could not be computed
};

/// Diffs commit `oldCommit` against `newCommit` (40 hex digits each) in the bare
/// repository at `repoPath`; an empty `oldCommit` stands for the empty tree, so a root
/// commit shows all of its files as added. Renames are detected.
///
/// Opens its own repository, so it may run on any thread. Never throws: failures come
/// back in DiffResult::error. `cancel` (may be null) is polled between files and lines.
DiffResult computeDiff(const std::filesystem::path& repoPath, const std::string& oldCommit,
                       const std::string& newCommit, const std::atomic_bool* cancel,
                       const DiffLimits& limits = {});

} // namespace clade::git
