#pragma once

#include <array>
#include <csignal>
#include <string>
#include <sys/resource.h>
#include <sys/types.h>
#include <vector>

namespace clade::engine {

/// What ProcessRunner's child does between fork and exec, with everything it needs built
/// before the fork: the engine is multi-threaded, so the child may make only
/// async-signal-safe calls (no allocation, no locks).
///
/// The child reports on a launch pipe at fd kLaunchFd (close-on-exec, so it reaches EOF
/// once the command runs): {step, errno} when a step failed (the child then exits 127),
/// and, from the reaper, {kCommandPid, pid of the command}.
///
/// The command enters its cgroups itself: the child moves the cgroup.procs fds it is
/// given to kCgroupFd... (above the launch fd, so closing the rest keeps them) and the
/// process that will exec the command writes "0" (itself) to each, before it drops
/// privileges, then closes them: nothing of the cgroup reaches the command. Under the
/// reaper, a v2 cgroup is entered at birth instead: the reaper starts the command with
/// clone3(CLONE_INTO_CGROUP). Moving a running process takes the kernel's
/// cgroup_threadgroup_rwsem for writing, which waits for an RCU grace period (~15 ms
/// here); being born in the cgroup does not.
struct ChildPlan {
    static constexpr int kLaunchFd = 3;
    static constexpr int kCgroupFd = kLaunchFd + 1;
    static constexpr int kMaxCgroups = 4;

    enum Step : int {
        kCommandPid = 0,
        StepFds,
        StepSession,
        StepRlimit,
        StepGroups,
        StepGid,
        StepUid,
        StepChdir,
        StepDeathSignal,
        StepNoNewPrivs,
        StepReaper,
        StepFork,
        StepExec,
        StepCgroup,
    };

    std::vector<char*> argv; ///< null-terminated; argv[0] is the program
    std::vector<char*> envp; ///< null-terminated
    const char* cwd = "/";
    // Raw numbers, not UniqueFd: ProcessRunner owns these descriptors and closes its copies
    // right after fork; the child uses them between fork and exec and leaves by exec or
    // _exit, so no destructor of it would ever run.
    int nullFd = -1, outFd = -1, errFd = -1, launchFd = -1; ///< all above the fixed fds
    std::array<int, kMaxCgroups> cgroupFds{-1, -1, -1, -1}; ///< above the fixed fds too
    int cgroupFdCount = 0;
    int cgroupDirFd = -1;  ///< the v2 cgroup's folder, for CLONE_INTO_CGROUP under the reaper
    int cgroupDirIndex = -1; ///< which cgroupFds entry that cgroup's cgroup.procs is
    int maxFd = 1024; ///< highest fd to close where close_range is missing
    rlimit cpu{RLIM_INFINITY, RLIM_INFINITY};
    rlimit addressSpace{RLIM_INFINITY, RLIM_INFINITY};
    rlimit fileSize{RLIM_INFINITY, RLIM_INFINITY};
    bool limitCpu = false;
    bool limitAddressSpace = false;
    bool limitFileSize = false;
    bool switchUser = false;
    uid_t uid = 0;
    gid_t gid = 0;
    bool noNewPrivs = true;
    bool reaper = false; ///< see ProcessRequest::reaper
    pid_t parent = 0;    ///< the engine's pid
    struct sigaction defaultAction {};
    sigset_t emptyMask{};

    /// Fills the signal fields; call before fork.
    void prepareSignals();

    /// Runs in the child right after fork; never returns.
    [[noreturn]] void runInChild() const noexcept;

    /// "cannot execute /usr/bin/bwrap" for a failed step.
    static std::string stepText(int step, const std::string& program, const std::string& cwd);

private:
    [[noreturn]] void runReaper() const noexcept;
    [[noreturn]] void execCommand(pid_t parentPid, bool bornInCgroup) const noexcept;
    pid_t forkCommand(bool& bornInCgroup) const noexcept;
    static void killTree(pid_t command) noexcept;
};

} // namespace clade::engine
