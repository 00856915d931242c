#include "engine/git/RunDiff.h"

#include "engine/git/Commit.h"
#include "engine/git/Error.h"
#include "engine/git/Library.h"
#include "engine/git/Oid.h"
#include "engine/git/Tree.h"

#include <git2.h>

#include <memory>
#include <optional>

namespace clade::git {
namespace {

struct RepositoryDeleter {
    void operator()(git_repository* repo) const { git_repository_free(repo); }
};
struct DiffDeleter {
    void operator()(git_diff* diff) const { git_diff_free(diff); }
};
struct PatchDeleter {
    void operator()(git_patch* patch) const { git_patch_free(patch); }
};
using RepositoryPtr = std::unique_ptr<git_repository, RepositoryDeleter>;
using DiffPtr = std::unique_ptr<git_diff, DiffDeleter>;
using PatchPtr = std::unique_ptr<git_patch, PatchDeleter>;

bool isCancelled(const std::atomic_bool* cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

DiffFileStatus statusOf(git_delta_t status)
{
    switch (status) {
    case GIT_DELTA_ADDED:
    case GIT_DELTA_UNTRACKED:
        return DiffFileStatus::Added;
    case GIT_DELTA_DELETED:
        return DiffFileStatus::Deleted;
    case GIT_DELTA_RENAMED:
        return DiffFileStatus::Renamed;
    case GIT_DELTA_COPIED:
        return DiffFileStatus::Copied;
    case GIT_DELTA_TYPECHANGE:
        return DiffFileStatus::TypeChanged;
    default:
        return DiffFileStatus::Modified;
    }
}

std::string lineText(const char* content, std::size_t length)
{
    while (length > 0 && (content[length - 1] == '\n' || content[length - 1] == '\r'))
        --length;
    return std::string(content, length);
}

std::optional<Tree> treeOfCommit(git_repository* repo, const std::string& hex)
{
    if (hex.empty())
        return std::nullopt;
    return Commit::lookup(repo, Oid::fromHex(hex)).tree();
}

// Copies the hunks of `patch` into `file` until `lineBudget` runs out. Returns false if
// cancelled.
bool readHunks(git_patch* patch, DiffFile& file, int& lineBudget, const DiffLimits& limits,
               const std::atomic_bool* cancel)
{
    int fileLines = 0;
    const std::size_t hunkCount = git_patch_num_hunks(patch);
    for (std::size_t h = 0; h < hunkCount; ++h) {
        const git_diff_hunk* rawHunk = nullptr;
        std::size_t lineCount = 0;
        if (const int rc = git_patch_get_hunk(&rawHunk, &lineCount, patch, h); rc < 0)
            throwLastError(rc, "read hunk of " + file.path);
        DiffHunk hunk;
        hunk.oldStart = rawHunk->old_start;
        hunk.oldLines = rawHunk->old_lines;
        hunk.newStart = rawHunk->new_start;
        hunk.newLines = rawHunk->new_lines;
        hunk.header = lineText(rawHunk->header, rawHunk->header_len);
        hunk.lines.reserve(lineCount);
        for (std::size_t l = 0; l < lineCount; ++l) {
            if ((l & 1023) == 0 && isCancelled(cancel))
                return false;
            if (fileLines >= limits.maxLinesPerFile || lineBudget <= 0) {
                file.truncated = true;
                break;
            }
            const git_diff_line* raw = nullptr;
            if (const int rc = git_patch_get_line_in_hunk(&raw, patch, h, l); rc < 0)
                throwLastError(rc, "read line of " + file.path);
            DiffLine line;
            switch (raw->origin) {
            case GIT_DIFF_LINE_ADDITION:
                line.kind = DiffLineKind::Added;
                break;
            case GIT_DIFF_LINE_DELETION:
                line.kind = DiffLineKind::Deleted;
                break;
            case GIT_DIFF_LINE_CONTEXT:
                line.kind = DiffLineKind::Context;
                break;
            default:
                continue; // "\ No newline at end of file" markers
            }
            line.oldLine = raw->old_lineno;
            line.newLine = raw->new_lineno;
            line.text = lineText(raw->content, raw->content_len);
            hunk.lines.push_back(std::move(line));
            ++fileLines;
            --lineBudget;
        }
        if (!hunk.lines.empty())
            file.hunks.push_back(std::move(hunk));
        if (file.truncated)
            break;
    }
    return true;
}

void computeInto(DiffResult& result, const std::filesystem::path& repoPath,
                 const std::string& oldCommit, const std::string& newCommit,
                 const std::atomic_bool* cancel, const DiffLimits& limits)
{
    ensureInitialized();
    git_repository* rawRepo = nullptr;
    if (const int rc = git_repository_open_bare(&rawRepo, repoPath.c_str()); rc < 0)
        throwLastError(rc, "open repository " + repoPath.string());
    const RepositoryPtr repo(rawRepo);

    const std::optional<Tree> oldTree = treeOfCommit(repo.get(), oldCommit);
    const std::optional<Tree> newTree = treeOfCommit(repo.get(), newCommit);

    git_diff_options options;
    git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
    options.context_lines =
        static_cast<uint32_t>(limits.contextLines < 0 ? 0 : limits.contextLines);
    // libgit2 reads only the header of a blob above max_size and marks it binary, so a
    // 2 GB data file in a node costs nothing here.
    options.max_size = limits.maxFileBytes;
    git_diff* rawDiff = nullptr;
    if (const int rc =
            git_diff_tree_to_tree(&rawDiff, repo.get(), oldTree ? oldTree->raw() : nullptr,
                                  newTree ? newTree->raw() : nullptr, &options);
        rc < 0)
        throwLastError(rc, "diff trees", repo.get());
    const DiffPtr diff(rawDiff);
    // Explicit flags: the defaults would follow diff.renames in the user's config.
    git_diff_find_options find;
    git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
    find.flags = GIT_DIFF_FIND_RENAMES;
    if (const int rc = git_diff_find_similar(diff.get(), &find); rc < 0)
        throwLastError(rc, "detect renames", repo.get());

    int lineBudget = limits.maxTotalLines;
    const std::size_t count = git_diff_num_deltas(diff.get());
    result.files.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        if (isCancelled(cancel)) {
            result.cancelled = true;
            return;
        }
        git_patch* rawPatch = nullptr;
        if (const int rc = git_patch_from_diff(&rawPatch, diff.get(), i); rc < 0)
            throwLastError(rc, "compute diff of file " + std::to_string(i), repo.get());
        const PatchPtr patch(rawPatch);
        // Read the delta from the patch: the binary flag is only known once it is loaded.
        const git_diff_delta* delta =
            patch ? git_patch_get_delta(patch.get()) : git_diff_get_delta(diff.get(), i);

        DiffFile file;
        file.status = statusOf(delta->status);
        file.oldPath = delta->old_file.path ? delta->old_file.path : "";
        file.path = delta->new_file.path ? delta->new_file.path : file.oldPath;
        if (file.status == DiffFileStatus::Deleted)
            file.path = file.oldPath;
        file.oldSize = static_cast<std::int64_t>(delta->old_file.size);
        file.newSize = static_cast<std::int64_t>(delta->new_file.size);
        file.tooLarge = file.oldSize > limits.maxFileBytes || file.newSize > limits.maxFileBytes;
        file.binary = !file.tooLarge && (delta->flags & GIT_DIFF_FLAG_BINARY) != 0;

        if (patch && !file.binary && !file.tooLarge) {
            std::size_t context = 0, insertions = 0, deletions = 0;
            if (const int rc = git_patch_line_stats(&context, &insertions, &deletions, patch.get());
                rc < 0)
                throwLastError(rc, "count lines of " + file.path, repo.get());
            file.insertions = static_cast<int>(insertions);
            file.deletions = static_cast<int>(deletions);
            if (!readHunks(patch.get(), file, lineBudget, limits, cancel)) {
                result.cancelled = true;
                return;
            }
        }
        result.truncated = result.truncated || file.truncated || file.tooLarge;
        result.insertions += file.insertions;
        result.deletions += file.deletions;
        result.files.push_back(std::move(file));
    }
}

} // namespace

DiffResult computeDiff(const std::filesystem::path& repoPath, const std::string& oldCommit,
                       const std::string& newCommit, const std::atomic_bool* cancel,
                       const DiffLimits& limits)
{
    DiffResult result;
    // Exceptions stop here: the caller is usually a worker thread handing a value back.
    try {
        computeInto(result, repoPath, oldCommit, newCommit, cancel, limits);
    } catch (const std::exception& error) {
        result.error = error.what();
    }
    return result;
}

} // namespace clade::git
