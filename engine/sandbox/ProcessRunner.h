#pragma once

#include "engine/sandbox/DiskWatch.h"
#include "engine/sandbox/SandboxResult.h"
#include "engine/util/UniqueFd.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

namespace clade::engine {

/// What ProcessRunner starts: one host executable with a complete environment.
struct ProcessRequest {
    std::vector<std::string> argv; ///< argv[0] is an absolute host path (no PATH search)
    std::vector<std::string> env;  ///< the whole environment, "NAME=value" each
    std::string cwd = "/";         ///< host folder, entered after switching user
    SandboxLimits limits;          ///< wall, CPU and output always; memory if limitAddressSpace
    bool limitAddressSpace = true; ///< RLIMIT_AS = limits.memoryMb
    bool noNewPrivileges = true;   ///< PR_SET_NO_NEW_PRIVS (off only for a setuid bwrap)
    /// Start the executable under a small reaper process (a fork of ours that never execs,
    /// marked child subreaper). bwrap does not reap its pid-namespace init, which then
    /// becomes an orphan: the reaper collects it, so its CPU time and memory, which include
    /// the command's, reach the reaper's rusage, and the reaper exits only when every
    /// process of the sandbox is gone.
    bool reaper = false;
    /// Exit status 128+n means "killed by signal n" (bwrap reports a killed command so).
    bool signalsAsExitCodes = false;
    /// Run the command in a cgroup of its own when CgroupHost::instance() can make one:
    /// then memory (RLIMIT_AS is left off), pids and the tree's CPU time are limited there,
    /// and the tree is killed through it.
    bool cgroup = true;
    /// Processes of the sandbox itself that count against pids.max (bwrap and its init).
    int extraPids = 0;
    /// The command is started through `systemd-run --scope --unit=<systemdScope>`: once
    /// it is in that scope's cgroup, the runner watches it (CPU time, OOM and pids events,
    /// peak memory) and kills the tree through it.
    std::string systemdScope;
    /// The writable host folders and what each may hold. Those their file system does not
    /// hold to the quota are polled while the command runs (DiskWatch, LimitHit::Disk),
    /// once more after it ends, and bound RLIMIT_FSIZE.
    std::vector<DiskQuota> diskQuotas;
    /// See SandboxSpec::liveOutput.
    std::filesystem::path liveOutput;
};

struct ChildPlan;
class SandboxCgroup;

/// fork/exec/poll for both sandbox backends. The child runs only async-signal-safe calls
/// (the engine is multi-threaded): a new session, stdin from /dev/null, stdout and stderr
/// into pipes, every other fd closed, rlimits (core 0, CPU, address space), the switch to
/// sandboxUid() when root, and PR_SET_PDEATHSIG. The parent polls both pipes, keeps up to
/// the output cap, and kills the whole tree on a limit or on cancel. One object per run.
///
/// With a cgroup (see ProcessRequest::cgroup) the child enters it before exec; the
/// runner polls it every tick for an OOM kill (LimitHit::Memory), a fork refused at
/// pids.max (LimitHit::Pids) and the tree's CPU time (LimitHit::Cpu), kills the tree
/// through it, and removes it after. cpuSeconds and peakMemoryKb then come from the cgroup
/// and cover the whole tree. When the engine is a child subreaper, the sandbox's orphans
/// re-parented to it are reaped after each run. The disk watchdog (ProcessRequest::
/// diskQuotas) is checked on the same ticks.
class ProcessRunner {
public:
    explicit ProcessRunner(ProcessRequest request);
    ~ProcessRunner(); ///< kills and reaps a child left behind by an exception
    ProcessRunner(const ProcessRunner&) = delete;
    ProcessRunner& operator=(const ProcessRunner&) = delete;

    SandboxResult run(const std::atomic<bool>* cancel);

private:
    using Clock = std::chrono::steady_clock;
    struct Stream {
        UniqueFd fd; ///< our read end of the command's pipe, until EOF
        std::string text;
        long long bytes = 0;
    };
    struct ChildEnds;

    // run() in three steps: start the command, watch it until it ends, read what it did.
    std::string launch();
    void supervise(const std::atomic<bool>* cancel);
    void collect(SandboxResult& result);

    // launch()'s parts
    std::string makeCgroup();
    std::string openChildEnds(ChildPlan& plan, ChildEnds& ends, UniqueFd& launchRead);
    std::string forkChild(const ChildPlan& plan);
    std::string readLaunchReport(int fd);
    void reapFailedLaunch();

    bool leaderExited() const;
    void readStream(Stream& stream);
    void stop(LimitHit reason);
    void killAll();
    void reap(SandboxResult& result);
    void closeFds();
    void checkCgroup(Clock::time_point now);
    void checkDisk(Clock::time_point now);
    void adoptScope();
    void finishCgroup(SandboxResult& result);

    ProcessRequest m_request;
    pid_t m_pid = -1; ///< our child: the command, or the reaper above it
    bool m_reaped = false;
    UniqueFd m_pidfd;        ///< m_pid, for prompt wake-up when it exits
    UniqueFd m_commandPidfd; ///< the command under the reaper (signals cannot hit a reused pid)
    pid_t m_commandPid = -1;
    std::unique_ptr<SandboxCgroup> m_cgroup;
    Clock::time_point m_nextCgroupCheck{};
    std::unique_ptr<DiskWatch> m_disk;
    UniqueFd m_liveFd; ///< request.liveOutput, opened for appending
    Stream m_out;
    Stream m_err;
    LimitHit m_limit = LimitHit::None;
    Clock::time_point m_escalateAt = Clock::time_point::max();
    std::vector<char> m_buffer;
};

} // namespace clade::engine
