#include "engine/sandbox/ChildPlan.h"

#include <cerrno>
#include <fcntl.h>
#include <grp.h>
#include <linux/sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace clade::engine {
namespace {

[[noreturn]] void fail(int step)
{
    const int record[2] = {step, errno};
    if (::write(ChildPlan::kLaunchFd, record, sizeof record) < 0) {
        // nobody left to tell
    }
    ::_exit(127);
}

} // namespace

void ChildPlan::prepareSignals()
{
    defaultAction.sa_handler = SIG_DFL;
    sigemptyset(&defaultAction.sa_mask);
    sigemptyset(&emptyMask);
}

void ChildPlan::runInChild() const noexcept
{
    // An ignored signal stays ignored across exec; the command gets default dispositions.
    for (int sig = 1; sig < NSIG; ++sig)
        if (sig != SIGKILL && sig != SIGSTOP)
            ::sigaction(sig, &defaultAction, nullptr);

    if (::dup2(launchFd, kLaunchFd) < 0 || ::fcntl(kLaunchFd, F_SETFD, FD_CLOEXEC) < 0)
        ::_exit(127);
    if (::dup2(nullFd, 0) < 0 || ::dup2(outFd, 1) < 0 || ::dup2(errFd, 2) < 0)
        fail(StepFds);
    for (int i = 0; i < cgroupFdCount; ++i)
        if (::dup2(cgroupFds[static_cast<size_t>(i)], kCgroupFd + i) < 0)
            fail(StepFds);
    if (cgroupDirFd >= 0 && ::dup2(cgroupDirFd, kCgroupFd + cgroupFdCount) < 0)
        fail(StepFds);
    const int keep = kCgroupFd + cgroupFdCount + (cgroupDirFd >= 0 ? 1 : 0);
    if (::close_range(static_cast<unsigned>(keep), ~0U, 0) != 0)
        for (int fd = keep; fd <= maxFd; ++fd)
            ::close(fd);

    if (::setsid() < 0)
        fail(StepSession);
    const rlimit noCore{0, 0};
    if (::setrlimit(RLIMIT_CORE, &noCore) != 0)
        fail(StepRlimit);
    if (reaper)
        runReaper();
    execCommand(parent, false);
}

// The reaper's fork of the command, into the v2 cgroup at once where we have one. A raw
// clone3 is as safe here as _Fork: the reaper is single-threaded and the child makes only
// system calls until exec.
pid_t ChildPlan::forkCommand(bool& bornInCgroup) const noexcept
{
    bornInCgroup = false;
    if (cgroupDirFd >= 0) {
        clone_args args{};
        args.flags = CLONE_INTO_CGROUP;
        args.exit_signal = SIGCHLD;
        args.cgroup = static_cast<__u64>(kCgroupFd + cgroupFdCount);
        const long pid = ::syscall(SYS_clone3, &args, sizeof args);
        if (pid >= 0) {
            bornInCgroup = true;
            return static_cast<pid_t>(pid);
        }
        // Before Linux 5.7: fork, and the child moves itself in.
    }
    return ::_Fork(); // no atfork handlers: their locks may be held forever
}

namespace {

// SIGKILLs each child this (single-threaded) process has. Returns false when the list
// cannot be read (a kernel without CONFIG_PROC_CHILDREN). Runs in the reaper, which only
// makes system calls, so the descriptor is a plain int closed by hand as everything of
// this file does (see ChildPlan::nullFd).
bool killChildren() noexcept
{
    const int fd = ::open("/proc/thread-self/children", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char buffer[4096];
    long pid = 0;
    bool inNumber = false;
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; ++i) {
            if (buffer[i] >= '0' && buffer[i] <= '9') {
                pid = pid * 10 + (buffer[i] - '0');
                inNumber = true;
            } else if (inNumber) {
                ::kill(static_cast<pid_t>(pid), SIGKILL);
                pid = 0;
                inNumber = false;
            }
        }
    }
    if (inNumber)
        ::kill(static_cast<pid_t>(pid), SIGKILL);
    ::close(fd);
    return true;
}

} // namespace

// Kills every child, then every orphan handed to us as its parent dies (we are a child
// subreaper), until none is left. `command` is for kernels where the children list is
// missing: then its process group, which holds bwrap and its init, is the best we have.
void ChildPlan::killTree(pid_t command) noexcept
{
    for (;;) {
        if (!killChildren()) {
            ::kill(-command, SIGKILL);
            ::kill(command, SIGKILL);
        }
        pid_t done = -1;
        do {
            done = ::wait4(-1, nullptr, 0, nullptr);
        } while (done < 0 && errno == EINTR);
        if (done < 0)
            return; // ECHILD: the whole tree is gone
    }
}

// Forks the command, then reaps it and every orphan of its tree, and exits as it did.
//
// The engine's death reaches us as SIGTERM, not SIGKILL, so that we can take the tree with
// us: bwrap asks for its own death signal only once its setup is done, and its sandbox init
// asks later still, so an engine killed during a sandbox's start would leave that init
// running with nobody to stop it. As a child subreaper we inherit it, and kill it.
void ChildPlan::runReaper() const noexcept
{
    sigset_t awaited;
    sigemptyset(&awaited);
    sigaddset(&awaited, SIGCHLD);
    sigaddset(&awaited, SIGTERM);
    ::sigprocmask(SIG_BLOCK, &awaited, nullptr); // taken by sigwaitinfo below, never lost
    if (::prctl(PR_SET_PDEATHSIG, SIGTERM) != 0)
        fail(StepDeathSignal);
    if (::getppid() != parent)
        ::_exit(127); // the engine died before the line above
    if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
        fail(StepReaper);
    const pid_t self = ::getpid();
    bool bornInCgroup = false;
    const pid_t command = forkCommand(bornInCgroup);
    if (command < 0)
        fail(StepFork);
    if (command == 0)
        execCommand(self, bornInCgroup);

    const int record[2] = {kCommandPid, command};
    if (::write(kLaunchFd, record, sizeof record) < 0) {
        // the engine then kills through the reaper's own process group
    }
    for (int fd = 0; fd <= kCgroupFd + cgroupFdCount; ++fd)
        ::close(fd); // the engine's EOFs must not wait for us; no cgroup fd stays open

    int commandStatus = 0;
    bool commandEnded = false;
    while (!commandEnded) {
        siginfo_t info;
        const int sig = ::sigwaitinfo(&awaited, &info);
        if (sig == SIGTERM) {
            killTree(command);
            ::_exit(128 + SIGKILL);
        }
        if (sig != SIGCHLD)
            continue; // EINTR
        for (;;) {
            int status = 0;
            const pid_t done = ::wait4(-1, &status, WNOHANG, nullptr);
            if (done <= 0)
                break;
            if (done == command) {
                commandStatus = status;
                commandEnded = true;
            }
        }
    }
    // bwrap has ended, so anything left (an init it started but had not yet bound to its
    // own life) is out of place.
    killTree(command);
    if (WIFSIGNALED(commandStatus)) {
        sigset_t one;
        sigemptyset(&one);
        sigaddset(&one, WTERMSIG(commandStatus));
        ::sigprocmask(SIG_UNBLOCK, &one, nullptr);
        ::kill(self, WTERMSIG(commandStatus));
    }
    ::_exit(WIFEXITED(commandStatus) ? WEXITSTATUS(commandStatus) : 127);
}

// The last steps before exec; `parentPid` is the process whose death must kill us.
void ChildPlan::execCommand(pid_t parentPid, bool bornInCgroup) const noexcept
{
    // First, while we still have the engine's privileges; "0" means the writer.
    for (int i = 0; i < cgroupFdCount; ++i) {
        if (!(bornInCgroup && i == cgroupDirIndex) && ::write(kCgroupFd + i, "0", 1) != 1)
            fail(StepCgroup);
        ::close(kCgroupFd + i);
    }
    if (cgroupDirFd >= 0)
        ::close(kCgroupFd + cgroupFdCount);
    // Under the reaper: a process group of our own, so the engine can kill this group
    // without killing the reaper.
    if (reaper && ::setpgid(0, 0) != 0)
        fail(StepSession);
    if ((limitCpu && ::setrlimit(RLIMIT_CPU, &cpu) != 0) ||
        (limitAddressSpace && ::setrlimit(RLIMIT_AS, &addressSpace) != 0) ||
        (limitFileSize && ::setrlimit(RLIMIT_FSIZE, &fileSize) != 0))
        fail(StepRlimit);
    if (switchUser) {
        if (::setgroups(0, nullptr) != 0)
            fail(StepGroups);
        if (::setgid(gid) != 0)
            fail(StepGid);
        if (::setuid(uid) != 0)
            fail(StepUid);
    }
    if (::chdir(cwd) != 0)
        fail(StepChdir);
    // After setuid, which clears it. It fires when the forking *thread* exits; run() is
    // synchronous, so that thread outlives the command.
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
        fail(StepDeathSignal);
    if (::getppid() != parentPid)
        ::_exit(127);
    if (noNewPrivs && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        fail(StepNoNewPrivs);
    ::sigprocmask(SIG_SETMASK, &emptyMask, nullptr);
    ::execve(argv[0], argv.data(), envp.data());
    fail(StepExec);
}

std::string ChildPlan::stepText(int step, const std::string& program, const std::string& dir)
{
    switch (step) {
    case StepFds:
        return "cannot set up file descriptors";
    case StepSession:
        return "cannot start a session";
    case StepRlimit:
        return "cannot set resource limits";
    case StepGroups:
        return "cannot drop supplementary groups";
    case StepGid:
        return "cannot switch to the sandbox group";
    case StepUid:
        return "cannot switch to the sandbox user";
    case StepChdir:
        return "cannot enter " + dir;
    case StepDeathSignal:
        return "cannot set the parent-death signal";
    case StepNoNewPrivs:
        return "cannot set no-new-privileges";
    case StepReaper:
        return "cannot become a child subreaper";
    case StepFork:
        return "cannot fork the command";
    case StepExec:
        return "cannot execute " + program;
    case StepCgroup:
        return "cannot enter the sandbox's cgroup";
    default:
        return "cannot start the command";
    }
}

} // namespace clade::engine
