#pragma once

#include "engine/llm/GatewayHttp.h"
#include "engine/util/UniqueFd.h"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <list>
#include <mutex>
#include <thread>

#include <sys/types.h>

namespace clade::llm {

/// What one client of a gateway may take of the engine. The client is model-written code
/// in the sandbox: it may open many connections, send slowly, send nothing, or never read.
struct HttpServerLimits {
    /// Connections served at once; further ones wait in the listen queue until one ends.
    int maxConnections = 8;
    /// A connection that makes no progress (reading the request, writing the answer) for
    /// this long is answered 408 (when it sent something) and closed.
    std::chrono::milliseconds idleTimeout{30000};
    std::size_t maxHeaderBytes = 16 * 1024;
    std::size_t maxBodyBytes = 8 * 1024 * 1024;
};

/// HTTP/1.1 on a unix stream socket, one request per connection, each connection on a
/// thread of its own.
///
/// Why plain POSIX sockets and std::thread rather than QLocalServer: the handler blocks for
/// as long as a model call takes (LlmClient::complete is blocking, and must not run on a
/// thread its own network thread waits on), so each request needs a thread of its own in
/// any case; and stopping promptly means shutdown() on a connection that another thread is
/// blocked on, which a QLocalSocket (bound to its thread's event loop) does not allow. The
/// engine's workers have no event loop either.
class UnixHttpServer {
public:
    /// The answer to a request, or to one the reader refused (`refusal` set; `request` then
    /// holds what could be read of it). Runs on the connection's thread, several at once.
    using Handler =
        std::function<HttpResponse(const HttpRequest& request, const HttpRefusal* refusal)>;

    /// Binds `socketPath` (replacing a stale socket there), makes it connectable by every
    /// user (mode 0666: whoever can reach the folder may connect) and starts accepting.
    /// Throws std::runtime_error naming the path when it cannot, e.g. a path longer than a
    /// unix socket address holds.
    UnixHttpServer(std::filesystem::path socketPath, HttpServerLimits limits, Handler handler);
    /// stop().
    ~UnixHttpServer();
    UnixHttpServer(const UnixHttpServer&) = delete;
    UnixHttpServer& operator=(const UnixHttpServer&) = delete;

    /// Stops accepting, shuts down every open connection (a blocked read or write returns at
    /// once), joins every thread and removes the socket. Handlers still running are waited
    /// for: their owner makes them return first. Idempotent.
    void stop();

    const std::filesystem::path& socketPath() const { return m_path; }

private:
    struct Connection {
        engine::UniqueFd fd; ///< closed by finish(), under the mutex
        std::thread thread;
        bool finished = false;
    };

    void acceptLoop();
    void serve(Connection& connection);
    /// Closes the connection's socket and tells the accept loop a slot is free.
    void finish(Connection& connection);
    void reapFinished();
    void wake();

    const std::filesystem::path m_path;
    const HttpServerLimits m_limits;
    const Handler m_handler;
    engine::UniqueFd m_listenFd;
    engine::UniqueFd m_wakeFd; ///< eventfd: a connection ended, or stop() was called
    dev_t m_socketDevice = 0;
    ino_t m_socketInode = 0; ///< so stop() removes our socket, not a successor's
    std::thread m_acceptThread;

    std::mutex m_mutex; // guards what follows
    bool m_stopping = false;
    bool m_stopped = false;
    std::list<Connection> m_connections; ///< a list: threads hold references to their entry
    int m_active = 0;
};

} // namespace clade::llm
