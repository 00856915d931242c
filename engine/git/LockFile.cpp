#include "engine/git/LockFile.h"

#include "engine/git/Error.h"
#include "engine/util/AtomicFile.h"

#include <git2.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace clade::git {
namespace {

namespace fs = std::filesystem;

fs::path lockOf(const fs::path& target)
{
    return fs::path(target.string() + ".lock");
}

[[noreturn]] void fail(const std::string& what, int errnoValue)
{
    throw GitException("cannot " + what, Error{GIT_ERROR, GIT_ERROR_OS, std::strerror(errnoValue)});
}

} // namespace

std::optional<LockFile> LockFile::acquire(const fs::path& target, const std::string& what)
{
    engine::UniqueFd fd(
        ::open(lockOf(target).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!fd) {
        if (errno == EEXIST)
            return std::nullopt;
        fail(what, errno);
    }
    return LockFile(target, what, std::move(fd));
}

LockFile::LockFile(fs::path target, std::string what, engine::UniqueFd fd)
    : m_target(std::move(target)), m_what(std::move(what)), m_fd(std::move(fd))
{
}

LockFile::LockFile(LockFile&& other) noexcept = default;

LockFile::~LockFile()
{
    if (m_fd) {
        m_fd.reset();
        ::unlink(lockOf(m_target).c_str());
    }
}

void LockFile::commit(std::string_view contents, bool sync)
{
    int error = 0;
    while (!contents.empty() && error == 0) {
        const ssize_t n = ::write(m_fd.get(), contents.data(), contents.size());
        if (n < 0 && errno != EINTR)
            error = errno;
        else if (n > 0)
            contents.remove_prefix(static_cast<size_t>(n));
    }
    if (error == 0 && sync && ::fsync(m_fd.get()) != 0)
        error = errno;
    m_fd.reset();
    const fs::path lock = lockOf(m_target);
    if (error == 0 && ::rename(lock.c_str(), m_target.c_str()) != 0)
        error = errno;
    if (error != 0) {
        ::unlink(lock.c_str());
        fail(m_what, error);
    }
    if (sync)
        engine::syncDirectory(m_target.parent_path());
}

} // namespace clade::git
