// Repository::setDerivedReference: a loose reference written without fsync (see the header
// for why that is safe for the references that use it).
#include "engine/git/Repository.h"

#include "engine/git/Error.h"
#include "engine/git/LockFile.h"

#include <cerrno>
#include <cstring>

#include <git2.h>

namespace clade::git {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const fs::path& repo, const std::string& what, int errnoValue)
{
    throw GitException("cannot " + what + " in " + repo.string(),
                       Error{GIT_ERROR, GIT_ERROR_OS, std::strerror(errnoValue)});
}

} // namespace

void Repository::setDerivedReference(const std::string& name, const Oid& target)
{
    int valid = 0;
    if (git_reference_name_is_valid(&valid, name.c_str()) < 0 || !valid ||
        name.rfind("refs/", 0) != 0)
        throw GitException("cannot set reference " + name + " in " + m_path.string(),
                           Error{GIT_EINVALIDSPEC, GIT_ERROR_REFERENCE, "invalid reference name"});

    const fs::path file = m_path / name;
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (ec)
        fail(m_path, "create the folder of reference " + name, ec.value());

    // git's protocol: whoever creates <ref>.lock owns the update; the rename publishes it
    // whole, so a reader sees the old reference or the new one, never a partial file.
    const std::string what = "set reference " + name + " in " + m_path.string();
    auto lock = LockFile::acquire(file, what);
    if (!lock)
        fail(m_path, "lock reference " + name, EEXIST);
    lock->commit(target.hex() + "\n", /*sync=*/false);
}

} // namespace clade::git
