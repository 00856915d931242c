#pragma once

#include "engine/util/UniqueFd.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace clade::git {

/// git's `<file>.lock` protocol, as git and libgit2 use it for references and packed-refs:
/// whoever creates the lock file exclusively owns the update of `<file>`, and renaming
/// the lock onto it publishes the new content whole. Dropped without commit(), the lock is
/// removed and `<file>` is untouched.
class LockFile {
public:
    /// Takes the lock of `target`; nullopt when another writer holds it. Throws
    /// GitException (naming `what`) on any other error.
    static std::optional<LockFile> acquire(const std::filesystem::path& target, const std::string& what);
    ~LockFile();
    LockFile(LockFile&& other) noexcept;
    LockFile(const LockFile&) = delete;
    LockFile& operator=(const LockFile&) = delete;
    LockFile& operator=(LockFile&&) = delete;

    /// Writes `contents` to the lock file and renames it onto the target; `sync` fsyncs the
    /// file first and the folder after. Throws GitException naming `what` on failure (the
    /// lock is then removed).
    void commit(std::string_view contents, bool sync);

private:
    LockFile(std::filesystem::path target, std::string what, engine::UniqueFd fd);

    std::filesystem::path m_target;
    std::string m_what;
    engine::UniqueFd m_fd;
};

} // namespace clade::git
