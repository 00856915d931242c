#include "engine/store/RunLock.h"

#include "engine/util/InputError.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/file.h>
#include <unistd.h>

namespace clade::engine {
namespace {

std::filesystem::path lockFile(const std::filesystem::path& runDir)
{
    return runDir / "owner.lock";
}

int readPid(int fd)
{
    char buffer[32] = {};
    const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
    return n > 0 ? std::atoi(buffer) : 0;
}

} // namespace

RunLock::RunLock(const std::filesystem::path& runDir)
{
    const auto file = lockFile(runDir);
    m_fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0)
        throw InputError(file.string() + ": cannot open the run's owner lock: " +
                         std::strerror(errno));
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
        const int pid = readPid(m_fd);
        ::close(m_fd);
        m_fd = -1;
        throw InputError(runDir.string() + ": run folder is owned by another live process" +
                         (pid > 0 ? " (pid " + std::to_string(pid) + ")" : std::string()) +
                         "; expected no other clade running this run (wait for it, or stop it)");
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(m_fd, 0) != 0 || ::pwrite(m_fd, pid.data(), pid.size(), 0) < 0) {
        // The lock itself holds; the pid is only for messages.
    }
}

RunLock::~RunLock()
{
    if (m_fd >= 0)
        ::close(m_fd); // releases the flock
}

int RunLock::ownerPid(const std::filesystem::path& runDir)
{
    const int fd = ::open(lockFile(runDir).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    int pid = 0;
    if (::flock(fd, LOCK_SH | LOCK_NB) != 0)
        pid = readPid(fd);
    ::close(fd);
    return pid;
}

} // namespace clade::engine
