#include "models/EditableChange.h"

#include "engine/git/Oid.h"
#include "engine/git/Repository.h"
#include "engine/git/RunDiff.h"

#include <QObject>

namespace clade::models {
namespace {

// Larger files are not edited in a text box; the person edits the agent folder instead.
constexpr std::size_t kMaxEditableBytes = 1024 * 1024;

} // namespace

EditableChange loadEditableChange(const std::filesystem::path& repoDir,
                                  const std::string& parentCommit, const std::string& commit)
{
    EditableChange change;
    const git::DiffResult diff = git::computeDiff(repoDir, parentCommit, commit, nullptr);
    if (!diff.error.empty()) {
        change.error = QString::fromStdString(diff.error);
        return change;
    }
    try {
        auto repo = git::Repository::openBare(repoDir);
        const git::Oid id = git::Oid::fromHex(commit);
        for (const auto& file : diff.files) {
            EditableFile entry;
            entry.path = file.path;
            if (file.status == git::DiffFileStatus::Deleted) {
                entry.editable = false;
                entry.reason = QObject::tr("deleted by the candidate");
            } else if (file.binary) {
                entry.editable = false;
                entry.reason = QObject::tr("binary");
            } else if (file.newSize > static_cast<std::int64_t>(kMaxEditableBytes)) {
                entry.editable = false;
                entry.reason = QObject::tr("too large to edit here (%1 KB)").arg(file.newSize / 1024);
            } else {
                entry.text = repo.readFile(id, file.path).value_or(std::string());
            }
            change.files.push_back(std::move(entry));
        }
    } catch (const std::exception& error) {
        change.files.clear();
        change.error = QString::fromStdString(error.what());
    }
    return change;
}

} // namespace clade::models
