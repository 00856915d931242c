#pragma once
// A blocking HTTP/1.1 client on a unix socket, for tests of the model gateway: it sends
// bytes exactly as given (so a test can send malformed requests too) and reads the answer
// until the server closes the connection.

#include <chrono>
#include <cstring>
#include <string>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace testsupport {

struct UnixHttpReply {
    bool connected = false;
    int status = 0;   ///< 0: no status line came
    std::string head; ///< status line and headers
    std::string body;
    bool closed = false; ///< the server closed the connection before the timeout
};

/// A connected blocking socket, or -1.
inline int connectUnix(const std::string& path)
{
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

/// Writes what it can; false when the server stopped taking bytes (closed) before the end.
inline bool sendAll(int fd, const std::string& bytes)
{
    for (std::size_t sent = 0; sent < bytes.size();) {
        const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

/// Reads until the server closes or `timeout` passes, and splits status, head and body.
inline UnixHttpReply readReply(int fd, std::chrono::milliseconds timeout)
{
    UnixHttpReply reply;
    reply.connected = true;
    std::string raw;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        pollfd entry{fd, POLLIN, 0};
        if (left <= 0 || ::poll(&entry, 1, static_cast<int>(left)) <= 0)
            break;
        char chunk[65536];
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) {
            reply.closed = true;
            break;
        }
        raw.append(chunk, static_cast<std::size_t>(n));
    }
    const auto headEnd = raw.find("\r\n\r\n");
    reply.head = raw.substr(0, headEnd);
    if (headEnd != std::string::npos)
        reply.body = raw.substr(headEnd + 4);
    if (raw.rfind("HTTP/1.1 ", 0) == 0)
        reply.status = std::atoi(raw.c_str() + 9);
    return reply;
}

/// One exchange on a new connection. `halfClose`: shut down the sending side after the
/// request, as a client that has nothing more to say.
inline UnixHttpReply httpExchange(const std::string& socketPath, const std::string& request,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(20),
                                  bool halfClose = false)
{
    const int fd = connectUnix(socketPath);
    if (fd < 0)
        return {};
    sendAll(fd, request);
    if (halfClose)
        ::shutdown(fd, SHUT_WR);
    UnixHttpReply reply = readReply(fd, timeout);
    ::close(fd);
    return reply;
}

inline std::string postRequest(const std::string& path, const std::string& body,
                               const std::string& extraHeaders = "")
{
    return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
           "Content-Length: " + std::to_string(body.size()) + "\r\n" + extraHeaders + "\r\n" + body;
}

inline std::string getRequest(const std::string& path)
{
    return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
}

} // namespace testsupport
