#include "engine/sandbox/ProcessRunner.h"

#include "engine/sandbox/SandboxUser.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

namespace clade::engine {
namespace {

constexpr int kLaunchErrorFd = ProcessRunner::kInfoFd + 1;
constexpr int kFirstFreeFd = kLaunchErrorFd + 1;
// The parent moves every fd the child inherits at least this high, so the child's dup2
// calls onto 0..kLaunchErrorFd can never overwrite one another.
constexpr int kHighFd = 10;
constexpr auto kTick = std::chrono::milliseconds(50); // cancel latency
// After the command exits, how long a process outside our reach may hold its pipes open.
constexpr auto kDrainGrace = std::chrono::seconds(2);
// After killing bwrap's init, how long bwrap gets to exit before it is killed too.
constexpr auto kEscalateAfter = std::chrono::milliseconds(500);
constexpr int kInnerGoneMs = 2000;

enum ChildStep : int {
    StepFds = 1,
    StepSession,
    StepRlimit,
    StepGroups,
    StepGid,
    StepUid,
    StepChdir,
    StepDeathSignal,
    StepNoNewPrivs,
    StepExec,
};

// Direct system calls: glibc 2.36's <sys/pidfd.h> lacks extern "C", and older ones lack it.
int openPidfd(pid_t pid)
{
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

void killPidfd(int pidfd)
{
    ::syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0);
}

std::string errnoText(int err)
{
    return std::generic_category().message(err);
}

// Everything the child needs, built before fork: the child of a multi-threaded process
// may not allocate or take locks.
struct ChildPlan {
    std::vector<char*> argv;
    std::vector<char*> envp;
    const char* cwd = "/";
    int nullFd = -1, outFd = -1, errFd = -1, infoFd = -1, launchErrorFd = -1;
    int maxFd = 1024;
    rlimit cpu{RLIM_INFINITY, RLIM_INFINITY};
    rlimit addressSpace{RLIM_INFINITY, RLIM_INFINITY};
    bool limitCpu = false;
    bool limitAddressSpace = false;
    bool switchUser = false;
    uid_t uid = 0;
    gid_t gid = 0;
    bool noNewPrivs = true;
    pid_t parent = 0;
    struct sigaction defaultAction {};
    sigset_t emptyMask{};
};

[[noreturn]] void childMain(const ChildPlan& p) noexcept
{
    int report = p.launchErrorFd;
    auto fail = [&report](int step) {
        const int message[2] = {step, errno};
        if (::write(report, message, sizeof message) < 0) {
            // nothing left to tell anyone
        }
        ::_exit(127);
    };

    // An ignored signal stays ignored across exec; the command gets default dispositions.
    for (int sig = 1; sig < NSIG; ++sig)
        if (sig != SIGKILL && sig != SIGSTOP)
            ::sigaction(sig, &p.defaultAction, nullptr);

    if (::dup2(p.nullFd, 0) < 0 || ::dup2(p.outFd, 1) < 0 || ::dup2(p.errFd, 2) < 0)
        fail(StepFds);
    if (p.infoFd >= 0) {
        if (::dup2(p.infoFd, ProcessRunner::kInfoFd) < 0)
            fail(StepFds);
    } else {
        ::close(ProcessRunner::kInfoFd);
    }
    if (::dup2(p.launchErrorFd, kLaunchErrorFd) < 0 ||
        ::fcntl(kLaunchErrorFd, F_SETFD, FD_CLOEXEC) < 0)
        fail(StepFds);
    report = kLaunchErrorFd;
    if (::close_range(kFirstFreeFd, ~0U, 0) != 0)
        for (int fd = kFirstFreeFd; fd <= p.maxFd; ++fd)
            ::close(fd);

    if (::setsid() < 0)
        fail(StepSession);
    const rlimit noCore{0, 0};
    if (::setrlimit(RLIMIT_CORE, &noCore) != 0 ||
        (p.limitCpu && ::setrlimit(RLIMIT_CPU, &p.cpu) != 0) ||
        (p.limitAddressSpace && ::setrlimit(RLIMIT_AS, &p.addressSpace) != 0))
        fail(StepRlimit);
    if (p.switchUser) {
        if (::setgroups(0, nullptr) != 0)
            fail(StepGroups);
        if (::setgid(p.gid) != 0)
            fail(StepGid);
        if (::setuid(p.uid) != 0)
            fail(StepUid);
    }
    if (::chdir(p.cwd) != 0)
        fail(StepChdir);
    // After setuid, which clears it. It fires when the forking *thread* exits; run() is
    // synchronous, so that thread lives as long as the command.
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0)
        fail(StepDeathSignal);
    if (::getppid() != p.parent)
        ::_exit(127); // the engine died before the line above
    if (p.noNewPrivs && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        fail(StepNoNewPrivs);
    ::sigprocmask(SIG_SETMASK, &p.emptyMask, nullptr);
    ::execve(p.argv[0], p.argv.data(), p.envp.data());
    fail(StepExec);
    ::_exit(127); // not reached; fail() does not return
}

std::string stepText(int step, const ProcessRequest& request)
{
    switch (step) {
    case StepFds: return "cannot set up file descriptors";
    case StepSession: return "cannot start a session";
    case StepRlimit: return "cannot set resource limits";
    case StepGroups: return "cannot drop supplementary groups";
    case StepGid: return "cannot switch to the sandbox group";
    case StepUid: return "cannot switch to the sandbox user";
    case StepChdir: return "cannot enter " + request.cwd;
    case StepDeathSignal: return "cannot set the parent-death signal";
    case StepNoNewPrivs: return "cannot set no-new-privileges";
    case StepExec: return "cannot execute " + request.argv.front();
    default: return "cannot start the command";
    }
}

// `want` for both soft and hard limits, but never above the current hard limit: without
// CAP_SYS_RESOURCE a limit can only be lowered.
rlimit lowered(int resource, rlim_t soft, rlim_t hard)
{
    rlimit current{};
    ::getrlimit(resource, &current);
    if (current.rlim_max != RLIM_INFINITY) {
        hard = std::min(hard, current.rlim_max);
        soft = std::min(soft, hard);
    }
    return {soft, hard};
}

void closeFd(int& fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

// A pipe whose parent end is non-blocking and whose child end sits at kHighFd or above.
bool makePipe(int& parentEnd, int& childEnd, bool parentReads)
{
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0)
        return false;
    parentEnd = parentReads ? ends[0] : ends[1];
    const int child = parentReads ? ends[1] : ends[0];
    childEnd = ::fcntl(child, F_DUPFD_CLOEXEC, kHighFd);
    ::close(child);
    if (childEnd < 0)
        return false;
    return ::fcntl(parentEnd, F_SETFL, O_NONBLOCK) == 0;
}

pid_t parentOf(pid_t pid)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/stat";
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char text[512];
    const ssize_t n = ::read(fd, text, sizeof text - 1);
    ::close(fd);
    if (n <= 0)
        return -1;
    text[n] = '\0';
    // "pid (comm) state ppid ...": comm may itself contain ") ".
    const char* close = nullptr;
    for (const char* c = text; *c; ++c)
        if (*c == ')')
            close = c;
    if (!close || close[1] == '\0' || close[2] == '\0' || close[3] == '\0')
        return -1;
    return static_cast<pid_t>(std::strtol(close + 4, nullptr, 10));
}

double seconds(const timeval& tv)
{
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

} // namespace

ProcessRunner::ProcessRunner(ProcessRequest request)
    : m_request(std::move(request)), m_buffer(64 * 1024)
{
}

ProcessRunner::~ProcessRunner()
{
    if (m_pid > 0 && !m_reaped) {
        killAll();
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
        waitInnerInitGone();
    }
    closeFds();
}

SandboxResult ProcessRunner::run(const std::atomic<bool>* cancel)
{
    SandboxResult result;
    result.limits = m_request.limits;
    const auto start = Clock::now();
    auto finish = [&] {
        result.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
        closeFds();
        return result;
    };
    if (m_request.argv.empty() || m_request.argv.front().empty() ||
        m_request.argv.front().front() != '/') {
        result.launchError = "the command must be an absolute path";
        return finish();
    }

    ChildPlan plan;
    for (auto& arg : m_request.argv)
        plan.argv.push_back(arg.data());
    plan.argv.push_back(nullptr);
    for (auto& var : m_request.env)
        plan.envp.push_back(var.data());
    plan.envp.push_back(nullptr);
    plan.cwd = m_request.cwd.c_str();
    const SandboxLimits& limits = m_request.limits;
    if (limits.cpuSeconds > 0) {
        const auto soft = static_cast<rlim_t>(std::ceil(limits.cpuSeconds));
        // SIGXCPU at the soft limit; SIGKILL one second later if the command ignores it.
        plan.cpu = lowered(RLIMIT_CPU, soft, soft + 1);
        plan.limitCpu = true;
    }
    if (m_request.limitAddressSpace && limits.memoryMb > 0) {
        const auto bytes = static_cast<rlim_t>(limits.memoryMb) * 1024 * 1024;
        plan.addressSpace = lowered(RLIMIT_AS, bytes, bytes);
        plan.limitAddressSpace = true;
    }
    plan.switchUser = sandboxSwitchesUser();
    plan.uid = sandboxUid();
    plan.gid = sandboxGid();
    plan.noNewPrivs = m_request.noNewPrivileges;
    plan.parent = ::getpid();
    plan.defaultAction.sa_handler = SIG_DFL;
    sigemptyset(&plan.defaultAction.sa_mask);
    sigemptyset(&plan.emptyMask);
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY)
        plan.maxFd = static_cast<int>(std::min<rlim_t>(files.rlim_cur, 1 << 20));

    // Child-side ends, closed in the parent right after fork.
    struct ChildEnds {
        int null = -1, out = -1, err = -1, info = -1, launch = -1;
        ~ChildEnds() { close(); }
        void close()
        {
            for (int* fd : {&null, &out, &err, &info, &launch})
                closeFd(*fd);
        }
    } ends;
    int launchRead = -1;
    const int nullFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (nullFd >= 0) {
        ends.null = ::fcntl(nullFd, F_DUPFD_CLOEXEC, kHighFd);
        ::close(nullFd);
    }
    bool ok = ends.null >= 0 && makePipe(m_out.fd, ends.out, true) &&
              makePipe(m_err.fd, ends.err, true) && makePipe(launchRead, ends.launch, true);
    if (ok && m_request.bwrapInfoFd)
        ok = makePipe(m_infoFd, ends.info, true);
    if (!ok) {
        result.launchError = "cannot create pipes: " + errnoText(errno);
        closeFd(launchRead);
        return finish();
    }
    plan.nullFd = ends.null;
    plan.outFd = ends.out;
    plan.errFd = ends.err;
    plan.infoFd = ends.info;
    plan.launchErrorFd = ends.launch;

    // Signals stay blocked until the child has reset their handlers (as posix_spawn does).
    sigset_t all, previous;
    sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &previous);
    const pid_t pid = ::fork();
    if (pid == 0)
        childMain(plan);
    const int forkErrno = errno;
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    if (pid < 0) {
        result.launchError = "cannot fork: " + errnoText(forkErrno);
        closeFd(launchRead);
        return finish();
    }
    m_pid = pid;
    m_pidfd = openPidfd(pid); // -1 on old kernels: exit is then seen within a tick
    ends.close();

    // The launch-error pipe closes on a successful exec, or carries {step, errno}.
    int message[2] = {0, 0};
    size_t got = 0;
    ::fcntl(launchRead, F_SETFL, 0);
    while (got < sizeof message) {
        const ssize_t n = ::read(launchRead, reinterpret_cast<char*>(message) + got,
                                 sizeof message - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += static_cast<size_t>(n);
    }
    closeFd(launchRead);
    if (got == sizeof message) {
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
        m_reaped = true;
        result.launchError = stepText(message[0], m_request) + ": " + errnoText(message[1]);
        return finish();
    }

    result.launched = true;
    supervise(cancel);
    reap(result);
    result.stdoutText = std::move(m_out.text);
    result.stderrText = std::move(m_err.text);
    result.stdoutBytes = m_out.bytes;
    result.stderrBytes = m_err.bytes;
    return finish();
}

void ProcessRunner::supervise(const std::atomic<bool>* cancel)
{
    const double wall = m_request.limits.wallSeconds;
    const auto deadline =
        wall > 0 ? Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(wall))
                 : Clock::time_point::max();
    auto drainUntil = Clock::time_point::max();
    bool exited = false;
    for (;;) {
        const auto now = Clock::now();
        if (!exited && leaderExited()) {
            exited = true;
            // Whatever the command left behind in its process group goes with it (the
            // unsafe backend's background jobs; under bwrap the namespace is gone already).
            ::kill(-m_pid, SIGKILL);
            drainUntil = now + kDrainGrace;
        }
        if (exited && m_out.fd < 0 && m_err.fd < 0)
            return;
        if (now >= drainUntil)
            return; // something that left our process group still holds a pipe
        if (m_limit == LimitHit::None) {
            if (cancel && cancel->load())
                stop(LimitHit::Cancelled);
            else if (now >= deadline)
                stop(LimitHit::Wall);
        } else if (!exited && now >= m_escalateAt) {
            killAll();
        }

        pollfd fds[4];
        int* owners[4];
        nfds_t count = 0;
        for (int* fd : {&m_out.fd, &m_err.fd, &m_infoFd, exited ? nullptr : &m_pidfd}) {
            if (fd && *fd >= 0) {
                fds[count] = {*fd, POLLIN, 0};
                owners[count++] = fd;
            }
        }
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(kTick);
        if (m_limit == LimitHit::None && deadline - now < wait)
            wait = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
        if (::poll(fds, count, static_cast<int>(std::max<long long>(0, wait.count()))) <= 0)
            continue;
        for (nfds_t i = 0; i < count; ++i) {
            if (fds[i].revents == 0)
                continue;
            if (owners[i] == &m_out.fd)
                readStream(m_out);
            else if (owners[i] == &m_err.fd)
                readStream(m_err);
            else if (owners[i] == &m_infoFd)
                readInfo();
        }
    }
}

bool ProcessRunner::leaderExited() const
{
    // WNOWAIT leaves the child a zombie, which keeps its pid and process group id from
    // being reused while we still send signals to them.
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(m_pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0)
        return errno != EINTR;
    return info.si_pid == m_pid;
}

void ProcessRunner::readStream(Stream& stream)
{
    const ssize_t n = ::read(stream.fd, m_buffer.data(), m_buffer.size());
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        closeFd(stream.fd);
        return;
    }
    stream.bytes += n;
    const long long cap = m_request.limits.outputBytes;
    size_t keep = static_cast<size_t>(n);
    if (cap > 0)
        keep = std::min(keep, static_cast<size_t>(
                                  std::max(0LL, cap - static_cast<long long>(stream.text.size()))));
    stream.text.append(m_buffer.data(), keep);
    if (cap > 0 && stream.bytes > cap)
        stop(LimitHit::Output);
}

void ProcessRunner::readInfo()
{
    const ssize_t n = ::read(m_infoFd, m_buffer.data(), m_buffer.size());
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        closeFd(m_infoFd);
        return;
    }
    if (m_info.size() < 4096)
        m_info.append(m_buffer.data(), static_cast<size_t>(n));
    // bwrap writes {"child-pid": N} once, right after creating the namespace.
    const auto key = m_info.find("\"child-pid\":");
    if (m_innerPidfd >= 0 || key == std::string::npos || m_info.find('}', key) == std::string::npos)
        return;
    const long inner = std::strtol(m_info.c_str() + key + 12, nullptr, 10);
    if (inner > 1)
        adoptInnerInit(static_cast<pid_t>(inner));
}

void ProcessRunner::adoptInnerInit(pid_t inner)
{
    const int fd = openPidfd(inner);
    if (fd < 0)
        return; // already gone
    // The number could have been reused if that init was reaped before we got here; the
    // real one is our child's child.
    if (parentOf(inner) != m_pid) {
        ::close(fd);
        return;
    }
    m_innerPidfd = fd;
    if (m_limit != LimitHit::None)
        killPidfd(m_innerPidfd);
}

void ProcessRunner::stop(LimitHit reason)
{
    if (m_limit != LimitHit::None)
        return;
    m_limit = reason;
    if (m_innerPidfd >= 0) {
        // Kill bwrap's init first: the namespace dies with it, then bwrap reaps it and exits
        // by itself. Killing bwrap first would leave that init a zombie of the host's init.
        killPidfd(m_innerPidfd);
        m_escalateAt = Clock::now() + kEscalateAfter;
    } else {
        killAll();
    }
}

void ProcessRunner::killAll()
{
    ::kill(-m_pid, SIGKILL);
    ::kill(m_pid, SIGKILL);
    if (m_innerPidfd >= 0)
        killPidfd(m_innerPidfd);
    m_escalateAt = Clock::time_point::max();
}

void ProcessRunner::reap(SandboxResult& result)
{
    int status = 0;
    rusage usage{};
    pid_t got = -1;
    do {
        got = ::wait4(m_pid, &status, 0, &usage);
    } while (got < 0 && errno == EINTR);
    m_reaped = true;
    waitInnerInitGone();
    if (got != m_pid) {
        result.launchError = "lost track of the command: " + errnoText(errno);
        return;
    }

    if (WIFEXITED(status)) {
        const int code = WEXITSTATUS(status);
        if (m_request.signalsAsExitCodes && code > 128 && code < 128 + NSIG)
            result.signal = code - 128;
        else
            result.exitCode = code;
    } else if (WIFSIGNALED(status)) {
        result.signal = WTERMSIG(status);
    }
    result.cpuSeconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    result.peakMemoryKb = usage.ru_maxrss;
    result.limit = m_limit;

    // RLIMIT_CPU sends SIGXCPU at the soft limit and SIGKILL at the hard one.
    const double cpuLimit = std::ceil(m_request.limits.cpuSeconds);
    if (result.limit == LimitHit::None && cpuLimit > 0 &&
        (result.signal == SIGXCPU ||
         (result.signal == SIGKILL && result.cpuSeconds >= cpuLimit - 0.05)))
        result.limit = LimitHit::Cpu;
}

void ProcessRunner::waitInnerInitGone()
{
    if (m_innerPidfd < 0)
        return;
    pollfd gone{m_innerPidfd, POLLIN, 0};
    if (::poll(&gone, 1, kInnerGoneMs) <= 0) {
        killPidfd(m_innerPidfd);
        ::poll(&gone, 1, kInnerGoneMs);
    }
}

void ProcessRunner::closeFds()
{
    for (int* fd : {&m_out.fd, &m_err.fd, &m_infoFd, &m_pidfd, &m_innerPidfd})
        closeFd(*fd);
}

} // namespace clade::engine
