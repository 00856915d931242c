#include "engine/executor/ClientProcess.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace clade::engine {

namespace {

constexpr size_t kStderrKept = 64 * 1024;

void closeFd(int& fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

/// write() that cannot kill the engine with SIGPIPE when the reader is gone (srun that
/// refused a job exits without reading its input): SIGPIPE is blocked for this thread
/// around the call, and one it raised is taken off the thread before it is unblocked.
ssize_t writeWithoutSigpipe(int fd, const void* data, size_t size)
{
    sigset_t pipe, old;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, &old);
    const ssize_t n = ::write(fd, data, size);
    const int error = errno;
    if (n < 0 && error == EPIPE) {
        const timespec now{0, 0};
        while (sigtimedwait(&pipe, nullptr, &now) < 0 && errno == EINTR) {
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    errno = error;
    return n;
}

std::vector<char*> pointers(std::vector<std::string>& strings)
{
    std::vector<char*> result;
    for (auto& s : strings)
        result.push_back(s.data());
    result.push_back(nullptr);
    return result;
}

} // namespace

ClientProcess::ClientProcess(std::vector<std::string> argv, std::vector<std::string> env)
    : m_argv(std::move(argv)), m_env(std::move(env))
{
}

ClientProcess::~ClientProcess()
{
    closeFd(m_in);
    closeFd(m_out);
    closeFd(m_err);
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        while (::waitpid(m_pid, nullptr, 0) < 0 && errno == EINTR) {
        }
    }
}

void ClientProcess::start()
{
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    if (::pipe2(out, O_CLOEXEC) != 0) {
        ::close(in[0]), ::close(in[1]);
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    if (::pipe2(err, O_CLOEXEC) != 0) {
        ::close(in[0]), ::close(in[1]), ::close(out[0]), ::close(out[1]);
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    auto argv = pointers(m_argv);
    auto envp = pointers(m_env);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) {
        // Only async-signal-safe calls: the engine is multi-threaded.
        ::setsid();
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(127);
        ::dup2(in[0], 0);
        ::dup2(out[1], 1);
        ::dup2(err[1], 2);
        ::signal(SIGPIPE, SIG_DFL);
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    ::close(in[0]), ::close(out[1]), ::close(err[1]);
    if (pid < 0) {
        ::close(in[1]), ::close(out[0]), ::close(err[0]);
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    m_pid = pid;
    m_in = in[1];
    m_out = out[0];
    m_err = err[0];
    for (int fd : {m_in, m_out, m_err})
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

ClientExit ClientProcess::pump(std::string_view input,
                               const std::function<void(std::string_view)>& onStdout,
                               const std::atomic<bool>* cancel,
                               const std::function<void()>& onCancel)
{
    using Clock = std::chrono::steady_clock;
    bool cancelled = false;
    Clock::time_point killAt = Clock::time_point::max();
    if (input.empty())
        closeFd(m_in);
    char buffer[65536];
    while (m_out >= 0 || m_err >= 0) {
        if (cancel && !cancelled && cancel->load()) {
            cancelled = true;
            if (onCancel)
                onCancel();
            ::kill(m_pid, SIGTERM);
            killAt = Clock::now() + std::chrono::seconds(10);
        }
        if (Clock::now() >= killAt) {
            ::kill(m_pid, SIGKILL);
            killAt = Clock::time_point::max();
        }
        pollfd fds[3];
        nfds_t count = 0;
        if (m_in >= 0)
            fds[count++] = {m_in, POLLOUT, 0};
        if (m_out >= 0)
            fds[count++] = {m_out, POLLIN, 0};
        if (m_err >= 0)
            fds[count++] = {m_err, POLLIN, 0};
        // 100 ms: how soon a cancel is seen; output wakes the loop at once.
        if (::poll(fds, count, 100) < 0 && errno != EINTR)
            break;
        for (nfds_t i = 0; i < count; ++i) {
            if (fds[i].revents == 0)
                continue;
            if (fds[i].fd == m_in) {
                const ssize_t n = writeWithoutSigpipe(m_in, input.data(), input.size());
                if (n > 0)
                    input.remove_prefix(static_cast<size_t>(n));
                if ((n < 0 && errno != EAGAIN && errno != EINTR) || input.empty())
                    closeFd(m_in);
                continue;
            }
            const bool isOut = fds[i].fd == m_out;
            const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
            if (n < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (n <= 0) {
                closeFd(isOut ? m_out : m_err);
                continue;
            }
            if (isOut) {
                onStdout(std::string_view(buffer, static_cast<size_t>(n)));
            } else {
                m_stderr.append(buffer, static_cast<size_t>(n));
                if (m_stderr.size() > 2 * kStderrKept)
                    m_stderr.erase(0, m_stderr.size() - kStderrKept);
            }
        }
    }
    closeFd(m_in);
    int status = 0;
    while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
    }
    m_pid = -1;
    ClientExit exit;
    if (WIFEXITED(status))
        exit.exitCode = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        exit.signal = WTERMSIG(status);
    return exit;
}

ClientOutput runClient(const std::vector<std::string>& argv, const std::vector<std::string>& env)
{
    ClientOutput result;
    ClientProcess process(argv, env);
    process.start();
    result.exit = process.pump({}, [&](std::string_view bytes) { result.out.append(bytes); });
    result.err = process.stderrText();
    return result;
}

} // namespace clade::engine
