#include "engine/review/ChangeSet.h"

#include "engine/git/Blob.h"
#include "engine/git/Commit.h"
#include "engine/git/LineDiff.h"
#include "engine/git/Oid.h"
#include "engine/git/Repository.h"
#include "engine/git/Tree.h"

#include <optional>
#include <string_view>

namespace clade::engine {

namespace {

using git::FileMode;

struct Side {
    std::optional<git::Tree::Entry> entry;
    std::string text;
    bool unreadable = false; ///< too large, or not a file we can show as text
};

bool isFile(FileMode mode)
{
    return mode == FileMode::Blob || mode == FileMode::BlobExecutable || mode == FileMode::Link;
}

Side readSide(git::Repository& repo, const std::optional<git::Tree>& tree, const std::string& path)
{
    Side side;
    if (!tree || path.empty())
        return side;
    side.entry = tree->entryByPath(path);
    if (!side.entry || !isFile(side.entry->mode))
        return side;
    const git::Blob blob = git::Blob::lookup(repo.raw(), side.entry->id);
    const std::string_view content = blob.content();
    if (content.size() > kMaxReviewedFileBytes)
        side.unreadable = true;
    else
        side.text.assign(content);
    return side;
}

std::optional<git::Tree> treeOf(git::Repository& repo, const git::Oid& commit)
{
    if (commit.isNull())
        return std::nullopt;
    return git::Commit::lookup(repo.raw(), commit).tree();
}

} // namespace

int ChangeSet::insertions() const
{
    int total = 0;
    for (const FileChange& file : files)
        total += file.insertions;
    return total;
}

int ChangeSet::deletions() const
{
    int total = 0;
    for (const FileChange& file : files)
        total += file.deletions;
    return total;
}

ChangeSet changeSetBetween(git::Repository& repo, const git::Oid& parent, const git::Oid& child)
{
    const std::optional<git::Tree> oldTree = treeOf(repo, parent);
    const std::optional<git::Tree> newTree = treeOf(repo, child);
    ChangeSet change;
    // diffStats sees the change the way every other view of the run does (renames, type
    // changes joined into one entry); the texts are read from the trees beside it.
    for (const git::FileChange& stat : repo.diffStats(parent, child).files) {
        FileChange file;
        file.kind = stat.status == 'A'   ? FileChange::Kind::Added
                    : stat.status == 'D' ? FileChange::Kind::Deleted
                                         : FileChange::Kind::Modified;
        file.path = file.kind == FileChange::Kind::Deleted ? stat.oldPath : stat.newPath;
        if (stat.status == 'R')
            file.oldPath = stat.oldPath;
        file.insertions = stat.insertions;
        file.deletions = stat.deletions;

        const std::string oldPath = file.kind == FileChange::Kind::Added ? "" : stat.oldPath;
        const std::string newPath = file.kind == FileChange::Kind::Deleted ? "" : stat.newPath;
        Side before = readSide(repo, oldTree, oldPath);
        Side after = readSide(repo, newTree, newPath);
        file.binary = stat.binary || before.unreadable || after.unreadable;
        if (!file.binary) {
            file.oldText = std::move(before.text);
            file.newText = std::move(after.text);
        }
        const bool wasExecutable = before.entry && before.entry->mode == FileMode::BlobExecutable;
        file.becameExecutable =
            after.entry && after.entry->mode == FileMode::BlobExecutable && !wasExecutable;
        change.files.push_back(std::move(file));
    }
    return change;
}

std::vector<std::pair<int, std::string>> addedLines(const FileChange& change)
{
    std::vector<std::pair<int, std::string>> added;
    if (change.binary || change.kind == FileChange::Kind::Deleted || change.newText.empty())
        return added;
    const std::string_view text = change.newText;
    const std::vector<int> numbers = git::addedLineNumbers(change.oldText, text);
    // Walk the text once, picking out the numbered lines (both ascend).
    std::size_t next = 0;
    std::size_t start = 0;
    for (int lineNo = 1; next < numbers.size() && start <= text.size(); ++lineNo) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        if (numbers[next] == lineNo) {
            std::string_view line = text.substr(start, end - start);
            if (!line.empty() && line.back() == '\r')
                line.remove_suffix(1);
            added.emplace_back(lineNo, std::string(line));
            ++next;
        }
        start = end + 1;
    }
    return added;
}

} // namespace clade::engine
