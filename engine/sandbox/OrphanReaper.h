#pragma once

#include <mutex>
#include <set>
#include <sys/types.h>

namespace clade::engine {

/// The children ProcessRunner forked and will reap itself, so that the orphan reaper
/// never takes one. Held across fork(), so no thread's scan sees a fresh child before it
/// is registered.
class ChildRegistry {
public:
    static ChildRegistry& instance();
    std::unique_lock<std::mutex> lock() { return std::unique_lock<std::mutex>(m_mutex); }
    /// Both under lock().
    void add(pid_t pid) { m_pids.insert(pid); }
    void remove(pid_t pid) { m_pids.erase(pid); }
    bool contains(pid_t pid) const { return m_pids.count(pid) > 0; }

private:
    std::mutex m_mutex;
    std::set<pid_t> m_pids;
};

/// When the engine is a child subreaper, kills and reaps its children that came from a
/// sandbox and that no ProcessRunner waits for: those in one of the engine's sandbox
/// cgroups (v2 shows this for zombies too), zombies whose pid is in `seenInCgroup` (v1
/// moves exiting tasks to the root cgroup, so a kill loop's list stands in), and, when
/// the engine runs as root, those running as the sandbox uid. Other children (a
/// QProcess's) are left alone. Returns how many were reaped.
int reapSandboxOrphans(const std::set<pid_t>& seenInCgroup = {});

/// True if some child of the engine has exited and is not reaped yet (a cheap test
/// before the /proc scan of reapSandboxOrphans()).
bool haveZombieChild();

} // namespace clade::engine
