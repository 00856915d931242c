#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

class QObject;
class QThread;
class QNetworkAccessManager;

namespace clade::llm {

struct HttpCall {
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds timeout{300000}; ///< the whole exchange, not only inactivity
};

struct HttpResult {
    enum class Outcome { Answered, NetworkError, Timeout, Cancelled };
    Outcome outcome = Outcome::NetworkError;
    int status = 0; ///< HTTP status when Answered
    std::string body;
    std::map<std::string, std::string> headers; ///< names in lower case
    std::string error; ///< Qt's description of a network error (unredacted)
    double seconds = 0;

    std::string header(const std::string& lowerCaseName) const;
};

/// One HTTP POST at a time per caller, from any thread. QNetworkAccessManager needs an
/// event loop and must stay on one thread, while the engine's workers are std::threads
/// without one; so the manager lives on a QThread owned here and post() blocks its caller
/// until the exchange ends. Many callers may post at once: their exchanges run side by side
/// on the network thread.
class HttpTransport {
public:
    /// `bypassProxy`: talk to the server directly (a local model server must not be sent
    /// through an http_proxy meant for the internet).
    explicit HttpTransport(bool bypassProxy);
    ~HttpTransport();
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    /// Blocks until an answer, a network error, the call's timeout, or `cancelled()`
    /// returning true (polled on the network thread; it must stay callable until post
    /// returns). Never call from the network thread itself.
    HttpResult post(const HttpCall& call, std::function<bool()> cancelled);

private:
    std::unique_ptr<QThread> m_thread;
    QObject* m_context = nullptr; ///< lives on m_thread, owns the manager
    QNetworkAccessManager* m_manager = nullptr;
};

} // namespace clade::llm
