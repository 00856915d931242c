#pragma once

#include <QString>

#include <filesystem>
#include <string>
#include <vector>

namespace clade::models {

/// One file of a candidate's change, as the hand-edit dialog offers it.
struct EditableFile {
    std::string path;
    std::string text;  ///< the candidate's version (empty when not editable)
    bool editable = true;
    QString reason;    ///< why not editable ("binary", "deleted by the candidate", ...)
};

/// The files a candidate changed against its parent, with the candidate's contents.
struct EditableChange {
    std::vector<EditableFile> files; ///< sorted by path
    QString error;                   ///< non-empty when the change could not be read
};

/// Reads the change from `parentCommit` to `commit` (hex; an empty parent is the empty
/// tree) in the bare repository `repoDir`. Opens its own repository, so it runs on any
/// thread; never throws.
EditableChange loadEditableChange(const std::filesystem::path& repoDir,
                                  const std::string& parentCommit, const std::string& commit);

} // namespace clade::models
