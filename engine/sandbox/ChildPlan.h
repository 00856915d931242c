#pragma once

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
struct ChildPlan {
    static constexpr int kLaunchFd = 3;

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
    };

    std::vector<char*> argv; ///< null-terminated; argv[0] is the program
    std::vector<char*> envp; ///< null-terminated
    const char* cwd = "/";
    int nullFd = -1, outFd = -1, errFd = -1, launchFd = -1; ///< all above kLaunchFd
    int maxFd = 1024; ///< highest fd to close where close_range is missing
    rlimit cpu{RLIM_INFINITY, RLIM_INFINITY};
    rlimit addressSpace{RLIM_INFINITY, RLIM_INFINITY};
    bool limitCpu = false;
    bool limitAddressSpace = false;
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
    [[noreturn]] void execCommand(pid_t parentPid) const noexcept;
};

} // namespace clade::engine
