#include "engine/sandbox/ProcessRunner.h"

#include "engine/sandbox/CgroupFiles.h"
#include "engine/sandbox/CgroupHost.h"
#include "engine/sandbox/ChildPlan.h"
#include "engine/sandbox/OrphanReaper.h"
#include "engine/sandbox/SandboxCgroup.h"
#include "engine/sandbox/SandboxHost.h"
#include "engine/sandbox/SandboxUser.h"
#include "engine/util/Utf8Text.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <set>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

namespace clade::engine {
namespace {

// The parent moves every fd the child inherits at least this high, so the child's dup2
// calls onto 0..ChildPlan::kCgroupFd+n can never overwrite one another.
constexpr int kHighFd = 10;
constexpr auto kTick = std::chrono::milliseconds(50); // cancel latency
// After the command exits, how long a process outside our reach may hold its pipes open.
constexpr auto kDrainGrace = std::chrono::seconds(2);
// After killing the command under the reaper, how long the tree gets to go down before
// everything, the reaper included, is killed.
constexpr auto kEscalateAfter = std::chrono::seconds(1);
// How often the cgroup's counters are read while output streams in.
constexpr auto kCgroupCheckEvery = std::chrono::milliseconds(10);

using cgroupfs::killPidfd;
using cgroupfs::openPidfd;

std::string errnoText(int err)
{
    return std::generic_category().message(err);
}

// Both limits, but never above the current hard limit: without CAP_SYS_RESOURCE a limit
// can only be lowered.
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

// Everything but the fds. The pointers point into `request`, which outlives the fork.
ChildPlan planFor(ProcessRequest& request, bool cgroupMemory, long long fileSizeLimit)
{
    ChildPlan plan;
    for (auto& arg : request.argv)
        plan.argv.push_back(arg.data());
    plan.argv.push_back(nullptr);
    for (auto& var : request.env)
        plan.envp.push_back(var.data());
    plan.envp.push_back(nullptr);
    plan.cwd = request.cwd.c_str();
    const SandboxLimits& limits = request.limits;
    if (limits.cpuSeconds > 0) {
        const auto soft = static_cast<rlim_t>(std::ceil(limits.cpuSeconds));
        // SIGXCPU at the soft limit; SIGKILL one second later if the command ignores it.
        plan.cpu = lowered(RLIMIT_CPU, soft, soft + 1);
        plan.limitCpu = true;
    }
    // A cgroup limits the tree's memory and reports its OOM kill; RLIMIT_AS on top would
    // turn a memory bomb into a MemoryError (or break a runtime that reserves address
    // space) before the cgroup ever sees it.
    if (request.limitAddressSpace && !cgroupMemory && limits.memoryMb > 0) {
        const auto bytes = static_cast<rlim_t>(limits.memoryMb) * 1024 * 1024;
        plan.addressSpace = lowered(RLIMIT_AS, bytes, bytes);
        plan.limitAddressSpace = true;
    }
    if (fileSizeLimit > 0) {
        // A single file never outgrows the disk quota between two polls (SIGXFSZ, or
        // EFBIG where the signal is ignored).
        const auto bytes = static_cast<rlim_t>(fileSizeLimit);
        plan.fileSize = lowered(RLIMIT_FSIZE, bytes, bytes);
        plan.limitFileSize = true;
    }
    plan.switchUser = sandboxSwitchesUser();
    plan.uid = sandboxUid();
    plan.gid = sandboxGid();
    plan.noNewPrivs = request.noNewPrivileges;
    plan.reaper = request.reaper;
    plan.parent = ::getpid();
    plan.prepareSignals();
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY)
        plan.maxFd = static_cast<int>(std::min<rlim_t>(files.rlim_cur, 1 << 20));
    return plan;
}

// A copy of `fd` at kHighFd or above, close-on-exec.
UniqueFd highCopy(int fd)
{
    return UniqueFd(::fcntl(fd, F_DUPFD_CLOEXEC, kHighFd));
}

// A pipe whose read end is the parent's and whose write end, the child's, sits at kHighFd
// or above.
bool makePipe(UniqueFd& parentEnd, UniqueFd& childEnd)
{
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0)
        return false;
    parentEnd.reset(ends[0]);
    const UniqueFd writeEnd(ends[1]);
    childEnd = highCopy(writeEnd.get());
    return static_cast<bool>(childEnd);
}

bool setNonBlocking(const UniqueFd& fd)
{
    return ::fcntl(fd.get(), F_SETFL, O_NONBLOCK) == 0;
}

pid_t parentOf(pid_t pid)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/stat";
    char text[512];
    ssize_t n = -1;
    if (const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)); fd)
        n = ::read(fd.get(), text, sizeof text - 1);
    if (n <= 0)
        return -1;
    const std::string stat(text, static_cast<size_t>(n));
    // "pid (comm) state ppid ...": comm may itself contain ") ".
    const size_t close = stat.rfind(')');
    if (close == std::string::npos || close + 4 >= stat.size())
        return -1;
    return static_cast<pid_t>(std::strtol(stat.c_str() + close + 4, nullptr, 10));
}

// The pid is reaped: the orphan reaper may take a process with that number again.
void forget(pid_t pid)
{
    ChildRegistry& registry = ChildRegistry::instance();
    const auto lock = registry.lock();
    registry.remove(pid);
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

// What the child inherits, each at kHighFd or above and close-on-exec. The parent's copies
// go right after fork: the launch pipe reaches EOF only once the child's end is the last.
struct ProcessRunner::ChildEnds {
    UniqueFd null, out, err, launch;
    std::vector<UniqueFd> cgroups; ///< cgroup.procs of each cgroup, then the v2 folder
};

ProcessRunner::~ProcessRunner()
{
    if (m_pid > 0 && !m_reaped) {
        killAll();
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
        forget(m_pid);
    }
    closeFds();
}

SandboxResult ProcessRunner::run(const std::atomic<bool>* cancel)
{
    const auto start = Clock::now();
    SandboxResult result;
    result.limits = m_request.limits;
    result.launchError = launch();
    if (result.launchError.empty()) {
        result.launched = true;
        supervise(cancel);
        collect(result);
    } else if (m_pid > 0) {
        finishCgroup(result); // the child failed a step before exec and is reaped
    }
    result.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    closeFds();
    return result;
}

// Starts the command; the reason it could not, else empty. When it forked and the child
// then failed, the child is reaped before this returns.
std::string ProcessRunner::launch()
{
    if (!m_request.liveOutput.empty()) {
        // O_CLOEXEC: the sandboxed command never gets this descriptor. A failure to open
        // only costs the live view.
        m_liveFd.reset(::open(m_request.liveOutput.c_str(),
                              O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644));
    }
    if (m_request.argv.empty() || m_request.argv.front().empty() ||
        m_request.argv.front().front() != '/')
        return "the command must be an absolute path";
    if (std::string error = makeCgroup(); !error.empty())
        return error;
    m_disk = std::make_unique<DiskWatch>(m_request.diskQuotas);
    ChildPlan plan = planFor(m_request, m_cgroup && CgroupHost::instance().limitsMemory(),
                             m_disk->fileSizeLimit());

    UniqueFd launchRead;
    {
        ChildEnds ends;
        if (std::string error = openChildEnds(plan, ends, launchRead); !error.empty())
            return error;
        if (std::string error = forkChild(plan); !error.empty())
            return error;
    }
    std::string error = readLaunchReport(launchRead.get());
    if (!error.empty())
        reapFailedLaunch();
    return error;
}

std::string ProcessRunner::makeCgroup()
{
    CgroupHost& cgroups = CgroupHost::instance();
    if (!m_request.cgroup || !cgroups.available())
        return {};
    m_cgroup = std::make_unique<SandboxCgroup>(cgroups, m_request.limits, m_request.extraPids);
    if (!m_cgroup->error().empty())
        return "cannot set up the sandbox's cgroup: " + m_cgroup->error();
    return {};
}

// Opens what the child inherits into `ends` and records it in `plan`; the parent keeps
// the read ends of the output pipes (m_out, m_err) and of the launch pipe (`launchRead`).
std::string ProcessRunner::openChildEnds(ChildPlan& plan, ChildEnds& ends, UniqueFd& launchRead)
{
    if (const UniqueFd null(::open("/dev/null", O_RDONLY | O_CLOEXEC)); null)
        ends.null = highCopy(null.get());
    if (!ends.null || !makePipe(m_out.fd, ends.out) || !makePipe(m_err.fd, ends.err) ||
        !makePipe(launchRead, ends.launch) || !setNonBlocking(m_out.fd) ||
        !setNonBlocking(m_err.fd))
        return "cannot create pipes: " + errnoText(errno);
    plan.nullFd = ends.null.get();
    plan.outFd = ends.out.get();
    plan.errFd = ends.err.get();
    plan.launchFd = ends.launch.get();
    if (!m_cgroup)
        return {};
    for (const int fd : m_cgroup->procsFds()) {
        ends.cgroups.push_back(highCopy(fd));
        if (!ends.cgroups.back() || ends.cgroups.size() > plan.cgroupFds.size())
            return "cannot pass the cgroup to the child: " + errnoText(errno);
        plan.cgroupFds[ends.cgroups.size() - 1] = ends.cgroups.back().get();
    }
    plan.cgroupFdCount = static_cast<int>(ends.cgroups.size());
    if (m_request.reaper && m_cgroup->v2DirFd() >= 0) {
        ends.cgroups.push_back(highCopy(m_cgroup->v2DirFd()));
        plan.cgroupDirFd = ends.cgroups.back().get();
        plan.cgroupDirIndex = m_cgroup->v2Index();
    }
    m_cgroup->closeProcsFds();
    return {};
}

std::string ProcessRunner::forkChild(const ChildPlan& plan)
{
    // Signals stay blocked until the child has reset their handlers (as posix_spawn does).
    sigset_t all, previous;
    sigfillset(&all);
    ::pthread_sigmask(SIG_SETMASK, &all, &previous);
    ChildRegistry& registry = ChildRegistry::instance();
    auto registryLock = registry.lock();
    const pid_t pid = ::fork();
    if (pid == 0)
        plan.runInChild();
    const int forkErrno = errno;
    if (pid > 0)
        registry.add(pid);
    registryLock.unlock();
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    if (pid < 0)
        return "cannot fork: " + errnoText(forkErrno);
    m_pid = pid;
    m_pidfd = openPidfd(pid); // none on old kernels: the exit is then seen within a tick
    return {};
}

std::string ProcessRunner::readLaunchReport(int fd)
{
    std::string error;
    for (;;) {
        int record[2] = {0, 0};
        size_t got = 0;
        while (got < sizeof record) {
            const ssize_t n =
                ::read(fd, reinterpret_cast<char*>(record) + got, sizeof record - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return error;
            got += static_cast<size_t>(n);
        }
        if (record[0] != ChildPlan::kCommandPid) {
            error = ChildPlan::stepText(record[0], m_request.argv.front(), m_request.cwd) + ": " +
                    errnoText(record[1]);
            continue;
        }
        // A pidfd, so that no signal can reach a reused pid. The command is the reaper's
        // only child, which rules out a reused number taken by someone else.
        UniqueFd pidfd = openPidfd(record[1]);
        if (pidfd && parentOf(record[1]) == m_pid) {
            m_commandPidfd = std::move(pidfd);
            m_commandPid = record[1];
        }
    }
}

// The child exits 127 after reporting a failed step.
void ProcessRunner::reapFailedLaunch()
{
    int status = 0;
    while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
    }
    m_reaped = true;
    forget(m_pid);
}

// After supervise(): how the command ended, what its cgroup and the disk watch saw, and
// its output.
void ProcessRunner::collect(SandboxResult& result)
{
    reap(result);
    finishCgroup(result);
    // A command may fill a folder and end between two polls: what it left still counts.
    if (result.limit == LimitHit::None && m_disk->check(Clock::now(), true))
        result.limit = LimitHit::Disk;
    if (result.limit == LimitHit::Disk)
        result.diskLimit = m_disk->overrun();
    result.stdoutText = std::move(m_out.text);
    result.stderrText = std::move(m_err.text);
    result.stdoutBytes = m_out.bytes;
    result.stderrBytes = m_err.bytes;
}

void ProcessRunner::supervise(const std::atomic<bool>* cancel)
{
    const double wall = m_request.limits.wallSeconds;
    const auto deadline = wall > 0 ? Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                        std::chrono::duration<double>(wall))
                                   : Clock::time_point::max();
    auto drainUntil = Clock::time_point::max();
    bool exited = false;
    for (;;) {
        const auto now = Clock::now();
        if (!exited && leaderExited()) {
            exited = true;
            // Without the reaper, whatever the command left in its process group goes
            // with it. (Under the reaper everything is gone once it exits.)
            if (!m_request.reaper) {
                ::kill(-m_pid, SIGKILL);
                // Also what left the process group (and may hold our pipes open).
                if (m_cgroup)
                    m_cgroup->kill();
                else if (isChildSubreaper() && sandboxSwitchesUser())
                    reapSandboxOrphans();
            }
            drainUntil = now + kDrainGrace;
        }
        if (exited && !m_out.fd && !m_err.fd)
            return;
        if (now >= drainUntil)
            return; // something that left our process group still holds a pipe
        if (m_limit == LimitHit::None) {
            if (cancel && cancel->load())
                stop(LimitHit::Cancelled);
            else if (now >= deadline)
                stop(LimitHit::Wall);
            else if (!exited) {
                checkCgroup(now);
                checkDisk(now);
            }
        } else if (!exited && now >= m_escalateAt) {
            killAll();
        }

        pollfd fds[3];
        Stream* streams[3] = {};
        nfds_t count = 0;
        for (Stream* stream : {&m_out, &m_err}) {
            if (stream->fd) {
                streams[count] = stream;
                fds[count++] = {stream->fd.get(), POLLIN, 0};
            }
        }
        if (!exited && m_pidfd)
            fds[count++] = {m_pidfd.get(), POLLIN, 0};
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(kTick);
        if (m_limit == LimitHit::None && deadline - now < wait)
            wait = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
        if (::poll(fds, count, static_cast<int>(std::max<long long>(0, wait.count()))) <= 0)
            continue;
        for (nfds_t i = 0; i < count; ++i)
            if (fds[i].revents != 0 && streams[i])
                readStream(*streams[i]);
    }
}

bool ProcessRunner::leaderExited() const
{
    // WNOWAIT leaves the child a zombie, which keeps its pid and process group id from
    // being reused while we may still send signals to them.
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(m_pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0)
        return errno != EINTR;
    return info.si_pid == m_pid;
}

void ProcessRunner::readStream(Stream& stream)
{
    const ssize_t n = ::read(stream.fd.get(), m_buffer.data(), m_buffer.size());
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        stream.fd.reset();
        return;
    }
    stream.bytes += n;
    const long long cap = m_request.limits.outputBytes;
    size_t keep = static_cast<size_t>(n);
    if (cap > 0 && stream.text.size() + keep > static_cast<size_t>(cap)) {
        // The cap cuts here: kept up to a character boundary, so the text does not end in
        // half a character (with the few bytes after the cap to tell where it ends).
        keep = static_cast<size_t>(std::max(0LL, cap - static_cast<long long>(stream.text.size())));
        if (keep > 0) {
            stream.text.append(m_buffer.data(), std::min(static_cast<size_t>(n), keep + 3));
            stream.text = utf8Prefix(stream.text, static_cast<size_t>(cap));
        }
    } else {
        stream.text.append(m_buffer.data(), keep);
    }
    if (m_liveFd && keep > 0 && ::write(m_liveFd.get(), m_buffer.data(), keep) < 0) {
        // A viewer's copy only: stop feeding it rather than disturb the run.
        m_liveFd.reset();
    }
    if (cap > 0 && stream.bytes > cap)
        stop(LimitHit::Output);
}

void ProcessRunner::stop(LimitHit reason)
{
    if (m_limit != LimitHit::None)
        return;
    m_limit = reason;
    if (m_cgroup)
        m_cgroup->kill();
    if (m_commandPidfd) {
        // Kill the command (bwrap) and let the reaper collect the rest: bwrap's init dies
        // with it (--die-with-parent), and the pid namespace with that init.
        killPidfd(m_commandPidfd.get());
        m_escalateAt = Clock::now() + kEscalateAfter;
    } else {
        killAll();
    }
}

void ProcessRunner::killAll()
{
    // Our child is not reaped yet, so its pid and process group id are still ours.
    ::kill(-m_pid, SIGKILL);
    ::kill(m_pid, SIGKILL);
    if (m_commandPidfd)
        killPidfd(m_commandPidfd.get());
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
    forget(m_pid);
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

void ProcessRunner::checkCgroup(Clock::time_point now)
{
    if (now < m_nextCgroupCheck)
        return;
    m_nextCgroupCheck = now + kCgroupCheckEvery;
    if (!m_cgroup && !m_request.systemdScope.empty())
        adoptScope();
    if (!m_cgroup)
        return;
    if (const LimitHit hit = m_cgroup->check(); hit != LimitHit::None)
        stop(hit);
}

void ProcessRunner::checkDisk(Clock::time_point now)
{
    if (m_limit == LimitHit::None && m_disk->check(now))
        stop(LimitHit::Disk);
}

// systemd-run moves itself into the scope before it execs bwrap; until then the command's
// cgroup is its parent's.
void ProcessRunner::adoptScope()
{
    if (m_commandPid <= 0)
        return;
    const auto text = cgroupfs::readText("/proc/" + std::to_string(m_commandPid) + "/cgroup");
    const std::string mount = CgroupHost::v2Mount();
    if (!text || mount.empty())
        return;
    const size_t at = text->find("0::/");
    if (at == std::string::npos)
        return;
    const std::string path = text->substr(at + 3, text->find('\n', at) - at - 3);
    const std::string leaf = "/" + m_request.systemdScope + ".scope";
    if (path.size() > leaf.size() && path.compare(path.size() - leaf.size(), leaf.size(), leaf) == 0)
        m_cgroup = std::make_unique<SandboxCgroup>(mount + path, path, m_request.limits);
}

void ProcessRunner::finishCgroup(SandboxResult& result)
{
    std::set<pid_t> seen;
    const bool hadCgroup = m_cgroup != nullptr;
    if (m_cgroup) {
        m_cgroup->finish();
        if (result.launched) {
            if (m_cgroup->cpuSeconds() >= 0)
                result.cpuSeconds = m_cgroup->cpuSeconds();
            if (m_cgroup->peakMemoryKb() >= 0)
                result.peakMemoryKb = m_cgroup->peakMemoryKb();
            // An OOM kill or a refused fork ended the command even when it was over before
            // the next check, and it explains a SIGKILL better than RLIMIT_CPU does.
            const LimitHit fired = m_cgroup->firedLimit();
            if (fired != LimitHit::None && m_limit == LimitHit::None)
                result.limit = fired;
        }
        seen = m_cgroup->pidsSeen();
        m_cgroup.reset();
    }
    // With a cgroup every orphan is dead by now, so a zombie is the only sign of one;
    // without, a root engine looks for live ones of the sandbox uid.
    if (isChildSubreaper() && (haveZombieChild() || (!hadCgroup && sandboxSwitchesUser())))
        reapSandboxOrphans(seen);
}

void ProcessRunner::closeFds()
{
    for (UniqueFd* fd : {&m_out.fd, &m_err.fd, &m_pidfd, &m_commandPidfd, &m_liveFd})
        fd->reset();
}

} // namespace clade::engine
