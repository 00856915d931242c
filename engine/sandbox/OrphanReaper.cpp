#include "engine/sandbox/OrphanReaper.h"

#include "engine/sandbox/CgroupFiles.h"
#include "engine/sandbox/CgroupHost.h"
#include "engine/sandbox/SandboxHost.h"
#include "engine/sandbox/SandboxUser.h"
#include "engine/util/UniqueDir.h"

#include <cerrno>
#include <cstdlib>
#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

namespace clade::engine {
namespace {

using namespace cgroupfs;

struct ProcStat {
    pid_t parent = -1;
    char state = '?';
};

ProcStat statOf(pid_t pid)
{
    ProcStat info;
    const auto text = readText("/proc/" + std::to_string(pid) + "/stat");
    // "pid (comm) state ppid ...": comm may itself contain ") ".
    const size_t close = text ? text->rfind(')') : std::string::npos;
    if (close == std::string::npos || close + 4 >= text->size())
        return info;
    info.state = (*text)[close + 2];
    info.parent = static_cast<pid_t>(std::strtol(text->c_str() + close + 4, nullptr, 10));
    return info;
}

// The real uid from /proc/<pid>/status; -1 if unknown.
long long uidOf(pid_t pid)
{
    const auto text = readText("/proc/" + std::to_string(pid) + "/status");
    if (!text)
        return -1;
    const size_t at = text->find("\nUid:\t");
    return at == std::string::npos ? -1 : std::strtoll(text->c_str() + at + 6, nullptr, 10);
}

int reapOnePass(const ChildRegistry& registry, const std::set<pid_t>& seenInCgroup, bool byUid)
{
    const pid_t self = ::getpid();
    const UniqueDir proc{::opendir("/proc")};
    if (!proc)
        return 0;
    int reaped = 0;
    while (const dirent* entry = ::readdir(proc.get())) {
        char* end = nullptr;
        const long number = std::strtol(entry->d_name, &end, 10);
        if (*end != '\0' || number <= 0)
            continue;
        const auto pid = static_cast<pid_t>(number);
        const ProcStat info = statOf(pid);
        if (info.parent != self || registry.contains(pid))
            continue;
        const bool fromSandbox = CgroupHost::instance().inSandboxCgroup(pid) ||
                                 (info.state == 'Z' && seenInCgroup.count(pid)) ||
                                 (byUid && uidOf(pid) == static_cast<long long>(sandboxUid()));
        if (!fromSandbox)
            continue;
        // Our child, so its pid cannot be reused until we reap it: a plain kill is safe.
        ::kill(pid, SIGKILL);
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        ++reaped;
    }
    return reaped;
}

} // namespace

ChildRegistry& ChildRegistry::instance()
{
    static ChildRegistry registry;
    return registry;
}

bool haveZombieChild()
{
    siginfo_t info{};
    return ::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid != 0;
}

int reapSandboxOrphans(const std::set<pid_t>& seenInCgroup)
{
    if (!isChildSubreaper())
        return 0;
    const bool byUid = sandboxSwitchesUser();
    ChildRegistry& registry = ChildRegistry::instance();
    const auto lock = registry.lock();
    // A killed orphan's own children come to us next: scan until a pass finds nobody.
    int total = 0;
    for (int pass = 0; pass < 100; ++pass) {
        const int reaped = reapOnePass(registry, seenInCgroup, byUid);
        total += reaped;
        if (reaped == 0)
            break;
    }
    return total;
}

} // namespace clade::engine
