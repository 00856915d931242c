#include "engine/llm/UnixHttpServer.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <vector>

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace clade::llm {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kBacklog = 64;
constexpr std::size_t kReadChunk = 64 * 1024;
// After refusing a request whose body was not read: how long its remaining bytes are read
// and dropped, so the client gets to read the refusal instead of a broken pipe (closing a
// unix socket with unread data resets the peer).
constexpr milliseconds kLinger{2000};
// accept() out of descriptors: wait before trying again instead of spinning.
constexpr int kAcceptBackoffMs = 100;

std::string errorText(int error)
{
    return std::generic_category().message(error);
}

enum class Wait { Ready, TimedOut, Failed };

/// Ready also for a hang-up or an error: the read or write that follows reports it.
Wait waitFor(int fd, short events, Clock::time_point deadline)
{
    for (;;) {
        const auto left = std::chrono::ceil<milliseconds>(deadline - Clock::now()).count();
        if (left <= 0)
            return Wait::TimedOut;
        pollfd entry{fd, events, 0};
        const int ready = ::poll(&entry, 1, static_cast<int>(std::min<long long>(left, INT_MAX)));
        if (ready > 0)
            return Wait::Ready;
        if (ready < 0 && errno != EINTR)
            return Wait::Failed;
    }
}

/// False when the peer stopped reading for `idle`, went away, or the socket was shut down.
bool writeAll(int fd, std::string_view data, milliseconds idle)
{
    auto deadline = Clock::now() + idle;
    while (!data.empty()) {
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n > 0) {
            data.remove_prefix(static_cast<std::size_t>(n));
            deadline = Clock::now() + idle;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (waitFor(fd, POLLOUT, deadline) != Wait::Ready)
                return false;
        } else {
            return false;
        }
    }
    return true;
}

/// Reads and drops what the peer still sends, until it closes or kLinger passes.
void linger(int fd)
{
    ::shutdown(fd, SHUT_WR);
    const auto deadline = Clock::now() + kLinger;
    char sink[kReadChunk / 4];
    while (waitFor(fd, POLLIN, deadline) == Wait::Ready) {
        const ssize_t n = ::recv(fd, sink, sizeof sink, 0);
        if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
            return;
    }
}

} // namespace

UnixHttpServer::UnixHttpServer(std::filesystem::path socketPath, HttpServerLimits limits,
                               Handler handler)
    : m_path(std::move(socketPath)), m_limits(limits), m_handler(std::move(handler))
{
    const std::string& path = m_path.native();
    sockaddr_un address{};
    if (path.size() >= sizeof address.sun_path)
        throw std::runtime_error(
            "cannot listen on " + path + ": a unix socket path may be at most " +
            std::to_string(sizeof address.sun_path - 1) + " bytes long and this one is " +
            std::to_string(path.size()) + "; use a shorter folder");
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);

    // The descriptors opened so far close as the half-built members go.
    const auto fail = [&path](const std::string& what, int error) {
        throw std::runtime_error("cannot listen on " + path + ": " + what + ": " +
                                 errorText(error));
    };
    m_wakeFd.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    if (!m_wakeFd)
        fail("eventfd", errno);
    m_listenFd.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!m_listenFd)
        fail("socket", errno);
    struct stat existing {};
    if (::lstat(path.c_str(), &existing) == 0) {
        if (!S_ISSOCK(existing.st_mode))
            fail("something other than a socket is in the way", EEXIST);
        ::unlink(path.c_str()); // a socket left by a gateway that died
    }
    if (::bind(m_listenFd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
        fail("bind", errno);
    // Before listen(), so nobody connects while the mode is still the umask's.
    struct stat bound {};
    if (::chmod(path.c_str(), 0666) != 0 || ::stat(path.c_str(), &bound) != 0) {
        const int error = errno;
        ::unlink(path.c_str());
        fail("chmod", error);
    }
    m_socketDevice = bound.st_dev;
    m_socketInode = bound.st_ino;
    if (::listen(m_listenFd.get(), kBacklog) != 0) {
        const int error = errno;
        ::unlink(path.c_str());
        fail("listen", error);
    }
    m_acceptThread = std::thread([this] { acceptLoop(); });
}

UnixHttpServer::~UnixHttpServer()
{
    stop();
}

void UnixHttpServer::wake()
{
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(m_wakeFd.get(), &one, sizeof one);
}

void UnixHttpServer::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopped)
            return;
        m_stopped = true;
        m_stopping = true;
        // A thread blocked in poll, recv or send on these returns at once.
        for (auto& connection : m_connections)
            if (connection.fd)
                ::shutdown(connection.fd.get(), SHUT_RDWR);
    }
    wake();
    m_acceptThread.join();
    // The accept thread is gone, so the list no longer changes shape; each connection's
    // thread touches only its own entry.
    for (auto& connection : m_connections)
        if (connection.thread.joinable())
            connection.thread.join();
    m_connections.clear();
    m_listenFd.reset();
    m_wakeFd.reset();
    struct stat now {};
    if (::lstat(m_path.c_str(), &now) == 0 && now.st_dev == m_socketDevice &&
        now.st_ino == m_socketInode)
        ::unlink(m_path.c_str());
}

void UnixHttpServer::reapFinished()
{
    std::list<Connection> finished;
    {
        std::lock_guard lock(m_mutex);
        for (auto it = m_connections.begin(); it != m_connections.end();) {
            const auto next = std::next(it);
            if (it->finished)
                finished.splice(finished.end(), m_connections, it);
            it = next;
        }
    }
    for (auto& connection : finished)
        connection.thread.join();
}

void UnixHttpServer::acceptLoop()
{
    for (;;) {
        reapFinished();
        bool full = false;
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping)
                return;
            full = m_active >= std::max(1, m_limits.maxConnections);
        }
        // While full, the listening socket is not watched: new clients wait in its queue.
        pollfd watched[2] = {{m_wakeFd.get(), POLLIN, 0}, {m_listenFd.get(), POLLIN, 0}};
        if (::poll(watched, full ? 1 : 2, -1) < 0)
            continue; // EINTR
        if (watched[0].revents) {
            std::uint64_t count = 0;
            [[maybe_unused]] const ssize_t read = ::read(m_wakeFd.get(), &count, sizeof count);
        }
        if (full || !(watched[1].revents & POLLIN))
            continue;
        engine::UniqueFd fd(
            ::accept4(m_listenFd.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
        if (!fd) {
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
                ::poll(watched, 1, kAcceptBackoffMs);
            continue;
        }
        std::lock_guard lock(m_mutex);
        if (m_stopping)
            return;
        Connection& connection = m_connections.emplace_back();
        connection.fd = std::move(fd);
        ++m_active;
        try {
            connection.thread = std::thread([this, &connection] {
                try {
                    serve(connection);
                } catch (...) {
                    // Nothing may leave a thread; the client sees its connection close.
                }
                finish(connection);
            });
        } catch (const std::system_error&) {
            // No thread to be had: the client sees its connection close.
            m_connections.pop_back();
            --m_active;
        }
    }
}

void UnixHttpServer::finish(Connection& connection)
{
    {
        std::lock_guard lock(m_mutex);
        connection.fd.reset();
        connection.finished = true;
        --m_active;
    }
    wake();
}

void UnixHttpServer::serve(Connection& connection)
{
    const int fd = connection.fd.get(); // closed only by finish(), on this thread
    const milliseconds idle = m_limits.idleTimeout;
    HttpRequestReader reader(m_limits.maxHeaderBytes, m_limits.maxBodyBytes);
    std::vector<char> chunk(kReadChunk);
    auto deadline = Clock::now() + idle;
    bool peerClosed = false;
    std::optional<HttpRefusal> timedOut;

    while (reader.state() == HttpRequestReader::State::NeedMore) {
        const Wait wait = waitFor(fd, POLLIN, deadline);
        if (wait == Wait::Failed)
            return;
        if (wait == Wait::TimedOut) {
            if (reader.bytesReceived() == 0)
                return; // connected and sent nothing: there is no request to answer
            timedOut = HttpRefusal{408, "no progress for " + std::to_string(idle.count()) +
                                            " ms while reading the request"};
            break;
        }
        const ssize_t n = ::recv(fd, chunk.data(), chunk.size(), 0);
        if (n > 0) {
            reader.feed({chunk.data(), static_cast<std::size_t>(n)});
            deadline = Clock::now() + idle;
            if (reader.takeContinue() && !writeAll(fd, "HTTP/1.1 100 Continue\r\n\r\n", idle))
                return;
        } else if (n == 0) {
            // Also what stop()'s shutdown() looks like: then nobody is left to answer.
            std::lock_guard lock(m_mutex);
            if (m_stopping || reader.bytesReceived() == 0)
                return;
            reader.finish();
            peerClosed = true;
        } else if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
            return;
        }
    }

    const HttpRefusal* refusal = nullptr;
    if (timedOut)
        refusal = &*timedOut;
    else if (reader.state() == HttpRequestReader::State::Refused)
        refusal = &reader.refusal();
    const HttpResponse response = m_handler(reader.request(), refusal);
    if (!writeAll(fd, renderHttpResponse(response), idle))
        return;
    if (refusal && !peerClosed && !timedOut)
        linger(fd);
}

} // namespace clade::llm
