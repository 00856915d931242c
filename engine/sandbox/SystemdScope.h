#pragma once

#include "engine/sandbox/SandboxSpec.h"

#include <string>
#include <vector>

namespace clade::engine {

/// `systemd-run --user --scope`: the fallback for an engine that runs as an ordinary user
/// and cannot make cgroups itself (a desktop session: pure cgroup v2, the engine's cgroup
/// shared with the terminal). The user's systemd makes a transient scope with MemoryMax,
/// MemorySwapMax=0 and TasksMax; bwrap runs in it (systemd-run execs it in place, so
/// --die-with-parent still sees the runner's reaper); the runner then watches the scope's
/// cgroup for CPU time and OOM/pids events and kills the tree through its cgroup.kill
/// (ProcessRequest::systemdScope). The command line is systemd-run ... -- env -i
/// PATH=/usr/bin:/bin bwrap ..., so bwrap (the sandbox's /proc/1/environ) still starts
/// with PATH only, though systemd-run needs the session bus variables.
///
/// Not used as root: root makes its own cgroups, and a root engine without them is in a
/// container where a user manager is not running either.
class SystemdScope {
public:
    /// Probed once, on first use: systemd-run runs a small shell script in a scope with
    /// MemoryMax=64M and TasksMax=16 that reports, from inside, what its cgroup holds.
    static const SystemdScope& instance();

    bool available() const { return m_available; }
    bool limitsMemory() const { return m_memory; }
    bool limitsSwap() const { return m_swap; }
    bool limitsPids() const { return m_pids; }
    bool watchesTree() const { return m_watch; } ///< cpu.stat readable, cgroup.kill writable
    /// Why the fallback is not available, or what it gives.
    const std::string& note() const { return m_note; }

    /// The command line that runs `command` in a new scope named `unit`.
    std::vector<std::string> wrap(const std::vector<std::string>& command,
                                  const SandboxLimits& limits, int extraPids,
                                  const std::string& unit) const;
    /// The environment systemd-run needs to reach the user's manager.
    std::vector<std::string> environment() const { return m_environment; }
    /// "clade-<engine pid>-<n>", unique within the engine.
    static std::string nextUnitName();

private:
    SystemdScope();

    std::string m_systemdRun;
    std::vector<std::string> m_environment;
    bool m_available = false;
    bool m_memory = false;
    bool m_swap = false;
    bool m_pids = false;
    bool m_watch = false;
    std::string m_note;
};

} // namespace clade::engine
