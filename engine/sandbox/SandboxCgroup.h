#pragma once

#include "engine/sandbox/SandboxResult.h"
#include "engine/util/UniqueFd.h"

#include <set>
#include <string>
#include <sys/types.h>
#include <vector>

namespace clade::engine {

class CgroupHost;
struct CgroupHierarchy;

/// The cgroup(s) of one sandboxed command: one folder per hierarchy CgroupHost uses
/// (<engine folder>/<n>), with the memory (and swap: none), pids and CPU-time limits.
/// ProcessRunner creates it before fork; the child writes "0" to every procsFds() entry
/// (moving itself in) before exec, so everything the command starts is inside from its
/// first instruction. One object per command, used from one thread.
///
/// Limits: memory.max / memory.limit_in_bytes = memoryMb, swap 0 where the kernel
/// accounts swap, memory.oom.group = 1 on v2 (an OOM kill takes the whole tree), pids.max =
/// pids + extraPids (bwrap's own processes). CPU time has no cgroup limit: check() compares
/// the tree's usage with cpuSeconds, and the caller kills.
class SandboxCgroup {
public:
    /// Creates the folders and writes the limits; error() says what failed.
    SandboxCgroup(CgroupHost& host, const SandboxLimits& limits, int extraPids);
    /// Watches a v2 cgroup someone else made and limited (a systemd scope at host folder
    /// `dir`, named `path` in /proc/<pid>/cgroup): check(), kill() and the figures; it is
    /// not removed.
    SandboxCgroup(const std::string& dir, const std::string& path, const SandboxLimits& limits);
    ~SandboxCgroup(); ///< finish() if not done
    SandboxCgroup(const SandboxCgroup&) = delete;
    SandboxCgroup& operator=(const SandboxCgroup&) = delete;

    const std::string& error() const { return m_error; }

    /// cgroup.procs of each folder, open for writing (close-on-exec); still owned here.
    std::vector<int> procsFds() const;
    /// The v2 folder itself (for clone3's CLONE_INTO_CGROUP), -1 if there is none, and
    /// which procsFds() entry belongs to it.
    int v2DirFd() const { return m_v2DirFd.get(); }
    int v2Index() const { return m_v2Index; }
    /// Closes the fds above, once the child has its copies.
    void closeProcsFds();

    /// Which limit fired so far: an OOM kill (Memory), a fork refused at pids.max (Pids)
    /// or the tree's CPU time at or over the limit (Cpu); None otherwise.
    LimitHit check();

    /// SIGKILLs the whole tree (returns without waiting on v2).
    void kill();

    /// Kills what is left, waits for it to go, reads the final figures and removes the
    /// folders. After it, pidsSeen() holds every pid the kill met.
    void finish();

    /// CPU time of the whole tree in seconds; -1 if not measured.
    double cpuSeconds() const { return m_cpuSeconds; }
    /// Peak memory of the whole tree (page cache and tmpfs included) in KiB; -1 if not
    /// measured.
    long long peakMemoryKb() const { return m_peakKb; }
    /// Memory or Pids if that limit fired during the run (read by finish()); else None.
    LimitHit firedLimit() const { return m_fired; }
    const std::set<pid_t>& pidsSeen() const { return m_seen; }

private:
    struct Leaf {
        std::string dir;
        std::string procLine; ///< "0::/a/b": how /proc/<pid>/cgroup names it
        int version = 2;
    };
    bool setMemory(const Leaf& leaf, const CgroupHierarchy& h);
    void watch(const Leaf& leaf, bool memory, bool pids, bool cpu);
    void readFigures();

    SandboxLimits m_limits;
    std::vector<Leaf> m_leaves;
    int m_killLeaf = -1;
    std::vector<UniqueFd> m_procsFds;
    UniqueFd m_v2DirFd;
    int m_v2Index = -1;
    UniqueFd m_cpuFd;  ///< cpu.stat or cpuacct.usage
    UniqueFd m_oomFd;  ///< memory.events or memory.oom_control
    UniqueFd m_peakFd; ///< memory.peak, memory.max_usage_in_bytes, else memory.current
    bool m_peakIsCurrent = false;
    UniqueFd m_pidsEventsFd; ///< pids.events
    bool m_cpuIsV2 = true;
    bool m_owned = true;
    bool m_finished = false;
    std::string m_error;
    double m_cpuSeconds = -1;
    long long m_peakKb = -1;
    LimitHit m_fired = LimitHit::None;
    std::set<pid_t> m_seen;
};

} // namespace clade::engine
