#include "engine/sandbox/CgroupFiles.h"

#include "engine/util/UniqueDir.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>

namespace clade::engine::cgroupfs {
namespace {

using Clock = std::chrono::steady_clock;

// Control files are far below this; /proc/<pid>/cgroup of a v1 host is < 1 KiB.
constexpr size_t kMaxText = 64 * 1024;

std::optional<std::string> readAll(int fd, bool fromStart)
{
    std::string text;
    char buffer[4096];
    off_t offset = 0;
    for (;;) {
        const ssize_t n = fromStart ? ::pread(fd, buffer, sizeof buffer, offset)
                                    : ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return std::nullopt;
        if (n == 0 || text.size() > kMaxText)
            return text;
        text.append(buffer, static_cast<size_t>(n));
        offset += n;
    }
}

} // namespace

std::optional<std::string> readText(const std::string& path)
{
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd)
        return std::nullopt;
    return readAll(fd.get(), false);
}

std::optional<std::string> readFd(int fd)
{
    return readAll(fd, true);
}

bool writeText(const std::string& path, const std::string& text)
{
    const UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd)
        return false;
    // The close on the way out keeps errno (UniqueFd), so it is still write()'s.
    return ::write(fd.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

std::optional<long long> keyedValue(const std::string& text, const std::string& key)
{
    size_t at = 0;
    while (at < text.size()) {
        const size_t end = std::min(text.find('\n', at), text.size());
        if (text.compare(at, key.size(), key) == 0 && at + key.size() < end &&
            text[at + key.size()] == ' ')
            return std::strtoll(text.c_str() + at + key.size() + 1, nullptr, 10);
        at = end + 1;
    }
    return std::nullopt;
}

std::optional<long long> leadingNumber(const std::string& text)
{
    if (text.empty() || text[0] < '0' || text[0] > '9')
        return std::nullopt;
    return std::strtoll(text.c_str(), nullptr, 10);
}

std::vector<pid_t> readPids(const std::string& procsPath)
{
    std::vector<pid_t> pids;
    const auto text = readText(procsPath);
    if (!text)
        return pids;
    const char* p = text->c_str();
    while (*p) {
        char* end = nullptr;
        const long pid = std::strtol(p, &end, 10);
        if (end == p)
            break;
        if (pid > 0)
            pids.push_back(static_cast<pid_t>(pid));
        p = end;
        while (*p == '\n')
            ++p;
    }
    return pids;
}

bool processExists(pid_t pid)
{
    return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM);
}

// Direct system calls: glibc 2.36's <sys/pidfd.h> lacks extern "C", and older ones lack it.
UniqueFd openPidfd(pid_t pid)
{
    return UniqueFd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
}

void killPidfd(int pidfd)
{
    ::syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0);
}

bool pidfdExited(int pidfd)
{
    pollfd fd{pidfd, POLLIN, 0};
    return ::poll(&fd, 1, 0) > 0;
}

bool processInCgroup(pid_t pid, const std::string& line)
{
    const auto text = readText("/proc/" + std::to_string(pid) + "/cgroup");
    if (!text)
        return false;
    size_t at = 0;
    while (at < text->size()) {
        const size_t end = std::min(text->find('\n', at), text->size());
        if (text->compare(at, line.size(), line) == 0 &&
            (end - at == line.size() || (*text)[at + line.size()] == '/'))
            return true;
        at = end + 1;
    }
    return false;
}

namespace {

// The sub-cgroups of `dir` (its sub-folders), as paths.
std::vector<std::string> childCgroups(const std::string& dir)
{
    std::vector<std::string> children;
    if (const UniqueDir listing{::opendir(dir.c_str())}) {
        while (const dirent* entry = ::readdir(listing.get())) {
            const std::string name = entry->d_name;
            if (entry->d_type == DT_DIR && name != "." && name != "..")
                children.push_back(dir + "/" + name);
        }
    }
    return children;
}

} // namespace

std::vector<pid_t> treePids(const std::string& dir)
{
    std::vector<pid_t> pids = readPids(dir + "/cgroup.procs");
    for (const auto& child : childCgroups(dir)) {
        const auto more = treePids(child);
        pids.insert(pids.end(), more.begin(), more.end());
    }
    return pids;
}

bool killMembers(const std::string& dir, const std::string& procLine, int budgetMs,
                 std::set<pid_t>* seen)
{
    const auto until = Clock::now() + std::chrono::milliseconds(budgetMs);
    const bool haveKill = ::access((dir + "/cgroup.kill").c_str(), F_OK) == 0;
    bool killedOnce = false;
    for (;;) {
        // Sub-cgroups count: a sandbox that may write its cgroup folder can make some.
        const std::vector<pid_t> members = treePids(dir);
        if (seen)
            seen->insert(members.begin(), members.end());
        if (members.empty())
            return true;
        // One write to cgroup.kill kills the whole subtree, forks in flight included;
        // afterwards we only wait for the tasks to finish exiting.
        if (haveKill && !killedOnce)
            killedOnce = writeText(dir + "/cgroup.kill", "1");
        if (!killedOnce) {
            for (const pid_t pid : members) {
                // The pidfd pins one process. It is that process we checked if it had not
                // exited by the time the check finished.
                const UniqueFd pidfd = openPidfd(pid);
                if (pidfd && processInCgroup(pid, procLine) && !pidfdExited(pidfd.get()))
                    killPidfd(pidfd.get());
            }
        }
        if (Clock::now() >= until)
            return false;
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
}

bool removeCgroupTree(const std::string& dir)
{
    for (const auto& child : childCgroups(dir))
        removeCgroupTree(child);
    // A killed task leaves cgroup.procs before the kernel stops counting it, so rmdir
    // can fail with EBUSY for a moment after the cgroup looks empty.
    const auto until = Clock::now() + std::chrono::seconds(2);
    for (;;) {
        if (::rmdir(dir.c_str()) == 0 || errno == ENOENT)
            return true;
        if (errno != EBUSY || Clock::now() >= until)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

} // namespace clade::engine::cgroupfs
