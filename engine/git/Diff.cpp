#include "engine/git/Diff.h"

#include "engine/git/Error.h"
#include "engine/git/Tree.h"

#include <git2.h>

#include <cstring>
#include <vector>

namespace clade::git {
namespace {

struct PatchDeleter {
    void operator()(git_patch* patch) const { git_patch_free(patch); }
};
using PatchPtr = std::unique_ptr<git_patch, PatchDeleter>;

char statusLetter(git_delta_t status)
{
    switch (status) {
    case GIT_DELTA_ADDED:
        return 'A';
    case GIT_DELTA_DELETED:
        return 'D';
    case GIT_DELTA_RENAMED:
        return 'R';
    case GIT_DELTA_COPIED:
        return 'C';
    case GIT_DELTA_TYPECHANGE:
        return 'T';
    default:
        return 'M';
    }
}

// The deletion and addition a type change is split into, in either order (rename
// detection re-sorts deltas by path, not necessarily stably).
bool isTypeChangePair(const FileChange& first, const FileChange& second)
{
    const bool deleteThenAdd = first.status == 'D' && second.status == 'A';
    const bool addThenDelete = first.status == 'A' && second.status == 'D';
    const std::string& firstPath = first.status == 'D' ? first.oldPath : first.newPath;
    const std::string& secondPath = second.status == 'D' ? second.oldPath : second.newPath;
    return (deleteThenAdd || addThenDelete) && firstPath == secondPath;
}

} // namespace

void Diff::Deleter::operator()(git_diff* diff) const
{
    git_diff_free(diff);
}

Diff Diff::between(git_repository* repo, const Tree* from, const Tree* to, int contextLines)
{
    git_diff_options options;
    git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
    // No GIT_DIFF_INCLUDE_TYPECHANGE: libgit2 prints such a delta as a mode change that
    // `git apply` rejects. A file that became a link is a deletion plus an addition, as
    // in `git diff`; stats() joins the pair back into one 'T' entry like --numstat.
    options.context_lines = static_cast<uint32_t>(contextLines < 0 ? 0 : contextLines);
    // Left at 0, libgit2 would read core.abbrev from the user's config.
    options.id_abbrev = 7;
    git_diff* raw = nullptr;
    if (const int rc = git_diff_tree_to_tree(&raw, repo, from ? from->raw() : nullptr,
                                             to ? to->raw() : nullptr, &options);
        rc < 0)
        throwLastError(rc, "diff trees", repo);
    Diff diff(raw, repo);

    // Explicit flags: the defaults would follow diff.renames in the user's config.
    git_diff_find_options find;
    git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
    find.flags = GIT_DIFF_FIND_RENAMES;
    if (const int rc = git_diff_find_similar(raw, &find); rc < 0)
        throwLastError(rc, "detect renames", repo);
    return diff;
}

DiffStats Diff::stats() const
{
    DiffStats stats;
    const std::size_t count = git_diff_num_deltas(m_diff.get());
    stats.files.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        git_patch* raw = nullptr;
        if (const int rc = git_patch_from_diff(&raw, m_diff.get(), i); rc < 0)
            throwLastError(rc, "compute diff of file " + std::to_string(i), m_repo);
        const PatchPtr patch(raw);
        // The binary flag is only known once the contents are loaded, i.e. after
        // git_patch_from_diff; read the delta again instead of before.
        const git_diff_delta* delta =
            patch ? git_patch_get_delta(patch.get()) : git_diff_get_delta(m_diff.get(), i);

        FileChange change;
        change.oldPath = delta->old_file.path ? delta->old_file.path : "";
        change.newPath = delta->new_file.path ? delta->new_file.path : "";
        change.status = statusLetter(delta->status);
        change.binary = (delta->flags & GIT_DIFF_FLAG_BINARY) != 0;
        if (patch && !change.binary) {
            std::size_t context = 0, insertions = 0, deletions = 0;
            if (const int rc = git_patch_line_stats(&context, &insertions, &deletions, patch.get());
                rc < 0)
                throwLastError(rc, "count lines of " + change.newPath, m_repo);
            change.insertions = static_cast<int>(insertions);
            change.deletions = static_cast<int>(deletions);
        }
        stats.insertions += change.insertions;
        stats.deletions += change.deletions;
        if (!stats.files.empty() && isTypeChangePair(stats.files.back(), change)) {
            FileChange& previous = stats.files.back();
            previous.status = 'T';
            previous.insertions += change.insertions;
            previous.deletions += change.deletions;
            previous.binary = previous.binary || change.binary;
            continue;
        }
        stats.files.push_back(std::move(change));
    }
    stats.filesChanged = static_cast<int>(stats.files.size());
    return stats;
}

std::string Diff::patch() const
{
    // Printed delta by delta rather than with git_diff_to_buf, to put a type change's
    // deletion before its addition as git does: rename detection may have swapped them,
    // and `git apply` rejects the addition while the old file is still there.
    const std::size_t count = git_diff_num_deltas(m_diff.get());
    std::vector<std::size_t> order(count);
    for (std::size_t i = 0; i < count; ++i)
        order[i] = i;
    for (std::size_t i = 0; i + 1 < count; ++i) {
        const git_diff_delta* first = git_diff_get_delta(m_diff.get(), i);
        const git_diff_delta* second = git_diff_get_delta(m_diff.get(), i + 1);
        if (first->status == GIT_DELTA_ADDED && second->status == GIT_DELTA_DELETED &&
            std::strcmp(first->new_file.path, second->old_file.path) == 0)
            std::swap(order[i], order[i + 1]);
    }

    std::string text;
    for (const std::size_t index : order) {
        git_patch* raw = nullptr;
        if (const int rc = git_patch_from_diff(&raw, m_diff.get(), index); rc < 0)
            throwLastError(rc, "compute diff of file " + std::to_string(index), m_repo);
        if (!raw)
            continue; // unchanged
        const PatchPtr patch(raw);
        git_buf buffer = GIT_BUF_INIT;
        if (const int rc = git_patch_to_buf(&buffer, patch.get()); rc < 0)
            throwLastError(rc, "format patch", m_repo);
        text.append(buffer.ptr ? buffer.ptr : "", buffer.size);
        git_buf_dispose(&buffer);
    }
    return text;
}

} // namespace clade::git
