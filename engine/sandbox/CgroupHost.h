#pragma once

#include <atomic>
#include <string>
#include <sys/types.h>
#include <vector>

namespace clade::engine {

/// One cgroup hierarchy the engine creates sandbox cgroups in (cgroup v2, or one v1
/// controller hierarchy such as /sys/fs/cgroup/memory).
struct CgroupHierarchy {
    int version = 2;
    std::string mount;      ///< mount point, e.g. /sys/fs/cgroup or /sys/fs/cgroup/pids
    std::string procKey;    ///< its line in /proc/<pid>/cgroup up to the path: "0:" or "8:pids"
    std::string base;       ///< host folder that holds <name>/<engine-pid>/
    std::string engineDir;  ///< base/<name>/<engine-pid>: parent of every sandbox cgroup
    std::string engineRel;  ///< engineDir as /proc/<pid>/cgroup names it
    bool memory = false;    ///< memory controller in sandbox cgroups
    bool swap = false;      ///< memory.swap.max (v2) / memory.memsw.limit_in_bytes (v1)
    bool pids = false;      ///< pids controller
    bool cpuUsage = false;  ///< cpu.stat usage_usec (v2) / cpuacct.usage (v1)
};

/// Which hierarchy does what for a sandbox cgroup: an index into hierarchies(), -1 for none.
struct CgroupRoles {
    int memory = -1;
    int pids = -1;
    int cpu = -1;
    int kill = -1; ///< where the tree is killed (cgroup.kill, or a kill loop over cgroup.procs)
};

/// What the host's cgroups let the engine do, found once at run time, and the folders it
/// owns there. On cgroup v2 the engine needs write access and the memory and pids
/// controllers delegated; a hybrid host (v1 controllers plus a v2 hierarchy without them)
/// gets memory and pids from v1 and CPU usage and cgroup.kill from v2.
///
/// Where the per-engine folder goes, per hierarchy:
/// - v1: under the engine's own cgroup, so the sandbox stays inside whatever limits the
///   engine itself runs under.
/// - v2, when the engine's own cgroup is the root of what it can see (a container with a
///   cgroup namespace, or the hybrid v2 hierarchy): there.
/// - v2, when the engine is alone in a cgroup it may write (started by
///   `systemd-run --user -p Delegate=yes`, or a delegated service): the engine moves
///   itself into <name>/<pid>/engine, because v2 only lets controllers be enabled for
///   children of a cgroup that holds no process.
/// - v2 as root otherwise: under the hierarchy's root (/sys/fs/cgroup/clade/<pid>).
/// - otherwise none; see notes() for why.
class CgroupHost {
public:
    enum class Mode { Auto, V1Only, V2Only, Off };
    struct Options {
        Mode mode = Mode::Auto;
        /// Folder under each base. instance() uses "clade"; a second host of the same name
        /// in one process would take the first one's folders for a dead engine's, so tests
        /// use names of their own.
        std::string name = "clade";
    };

    /// The engine's own, detected on first use. CLADE_SANDBOX_CGROUPS=v1|v2|off in the
    /// engine's environment restricts it (for tests and for hosts where cgroups misbehave).
    static CgroupHost& instance();

    explicit CgroupHost(Options options);
    ~CgroupHost(); ///< removes the per-engine folders if empty
    CgroupHost(const CgroupHost&) = delete;
    CgroupHost& operator=(const CgroupHost&) = delete;

    /// At least the process tree can be placed in a cgroup and killed through it.
    bool available() const { return m_roles.kill >= 0; }
    const std::vector<CgroupHierarchy>& hierarchies() const { return m_hierarchies; }
    const CgroupRoles& roles() const { return m_roles; }
    bool limitsMemory() const { return m_roles.memory >= 0; }
    bool limitsSwap() const { return limitsMemory() && m_hierarchies[m_roles.memory].swap; }
    bool limitsPids() const { return m_roles.pids >= 0; }
    bool measuresCpu() const { return m_roles.cpu >= 0; }
    const std::string& name() const { return m_name; }

    /// What was found, one line each: which hierarchy gives what, and why a controller is
    /// missing ("v2 /sys/fs/cgroup/unified: memory controller not available").
    const std::vector<std::string>& notes() const { return m_notes; }
    /// "v1 memory+pids, v2 cpu+kill" or "none".
    std::string summary() const;

    /// Non-empty when sandboxed commands are moved into cgroup v1 folders and the kernel
    /// makes each such move wait for an RCU grace period (~15 ms on a VM): what it costs
    /// and, where the kernel offers it, how to lift it (cgroup2's `favordynmods`).
    const std::string& slowMoveHint() const { return m_slowMoveHint; }

    /// The tree limits a sandbox does not get from these cgroups (memory, swap, pids, CPU
    /// time of the tree), one line each for Sandbox::unenforcedLimits().
    std::vector<std::string> gaps() const;

    /// A number for the next sandbox cgroup of this engine.
    int nextId() { return ++m_counter; }

    /// Sandbox cgroups of this engine that still exist (between runs: none).
    std::vector<std::string> liveSandboxCgroups() const;

    /// True if `pid` is in one of this engine's sandbox cgroups (the engine's own leaf,
    /// when it moved itself, does not count). Works for zombies on v2 only: v1 moves an
    /// exiting task to the root.
    bool inSandboxCgroup(pid_t pid) const;

    /// Where the cgroup v2 hierarchy is mounted ("" if it is not).
    static std::string v2Mount();

    /// Kills every process in, and removes, the cgroups of engines that are no longer
    /// running (named for a pid that does not exist). Returns how many engines' folders
    /// were removed.
    int sweepStale() const;

private:
    void detectV2(const std::string& mountInfo, const std::string& ownCgroups);
    void detectV1(const std::string& mountInfo, const std::string& ownCgroups);
    bool makeEngineDir(CgroupHierarchy& h, const std::string& label);
    void chooseRoles();
    void noteSlowMoves(const std::string& mountInfo);

    std::string m_name;
    std::vector<CgroupHierarchy> m_hierarchies;
    CgroupRoles m_roles;
    std::vector<std::string> m_notes;
    std::string m_slowMoveHint;
    std::atomic<int> m_counter{0};
};

} // namespace clade::engine
