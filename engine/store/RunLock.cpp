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
    m_fd.reset(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
    if (!m_fd)
        throw InputError(file.string() + ": cannot open the run's owner lock: " +
                         std::strerror(errno));
    if (::flock(m_fd.get(), LOCK_EX | LOCK_NB) != 0) {
        const int pid = readPid(m_fd.get());
        m_fd.reset();
        throw InputError(runDir.string() + ": run folder is owned by another live process" +
                         (pid > 0 ? " (pid " + std::to_string(pid) + ")" : std::string()) +
                         "; expected no other clade running this run (wait for it, or stop it)");
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(m_fd.get(), 0) != 0 || ::pwrite(m_fd.get(), pid.data(), pid.size(), 0) < 0) {
        // The lock itself holds; the pid is only for messages.
    }
}

RunLock::~RunLock() = default;

int RunLock::ownerPid(const std::filesystem::path& runDir)
{
    const UniqueFd fd(::open(lockFile(runDir).c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return 0;
    return ::flock(fd.get(), LOCK_SH | LOCK_NB) != 0 ? readPid(fd.get()) : 0;
}

} // namespace clade::engine
