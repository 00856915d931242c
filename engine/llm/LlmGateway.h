#pragma once

#include "engine/llm/GatewayHttp.h"
#include "engine/llm/LlmClient.h"
#include "engine/llm/UnixHttpServer.h"
#include "engine/llm/Usage.h"

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace clade::llm {

/// The model as sandboxed agent code (SICA/DGM style, the agent calls a model itself) sees
/// it: an OpenAI-compatible endpoint on a unix socket in a folder the caller bind-mounts
/// into the sandbox at kInsideFolder. The sandbox has no network and no key; the gateway
/// adds the key (through LlmClient), holds calls to the run's cost budget and counts what
/// they cost against the node.
///
/// The contract inside the sandbox:
/// - HTTP/1.1 on the unix stream socket, one request per connection (Connection: close).
/// - `POST /v1/chat/completions`, body `{"messages": [{"role": "system"|"user"|"assistant",
///   "content": "..." or [{"type": "text", "text": "..."}, ...]}], "max_tokens"?: int,
///   "temperature"?: number}`, with Content-Length. "model" is ignored: the run's model
///   answers. Any Authorization header is ignored and never forwarded.
/// - 200: an OpenAI chat.completion object, whichever provider answered upstream.
/// - `GET /v1/models`: `{"object": "list", "data": [{"id": <the run's model>, ...}]}`.
/// - Errors `{"error": {"message", "type"}}`: 400 malformed request, 402 type
///   "budget_exhausted" (no upstream call made), 404 unknown path, 405 wrong method, 408 no
///   progress while sending, 411 no Content-Length (chunked uploads are not taken), 413
///   body over 8 MiB, 431 head over 16 KiB, 502 the upstream call failed (message redacted),
///   503 the run was cancelled or the gateway is stopping.
class LlmGateway {
public:
    /// Creates `<folder>/llm.sock` and starts listening. `folder` must exist; it is made
    /// mode 0755 and the socket 0666, so the sandbox's unprivileged user can connect.
    /// `cancel` (the run's or the node's flag) aborts the calls in flight and refuses new
    /// ones with 503. Throws std::runtime_error naming the path when it cannot listen (a
    /// path over the 107 bytes a unix socket address holds, a missing folder).
    LlmGateway(LlmClient& client, CostBudget& budget, const std::filesystem::path& folder,
               const std::atomic<bool>* cancel = nullptr, HttpServerLimits limits = {});
    /// Stops accepting, cancels calls in flight, joins every thread, removes the socket;
    /// returns promptly even while clients are connected and blocked.
    ~LlmGateway();
    LlmGateway(const LlmGateway&) = delete;
    LlmGateway& operator=(const LlmGateway&) = delete;

    /// The socket on the host.
    std::filesystem::path socketPath() const;
    /// Of the calls answered so far (thread-safe).
    UsageTotals usage() const;
    /// One line per request: time, method and path, status, tokens, cost, seconds, error.
    /// Redacted. Capped at about 1 MiB (a last line counts the requests left out).
    std::string log() const;
    /// Set when the provider refused the run's configuration (a bad or missing key, an
    /// unknown model or URL: 401, 403, 404): no later call can succeed, so the engine stops
    /// the run with this message. A 400 is not counted: agent code can cause that one.
    std::optional<std::string> configurationError() const;

    static constexpr const char* kInsideFolder = "/run/clade";
    static constexpr const char* kSocketName = "llm.sock";
    /// Where the socket is inside the sandbox, and the variable that tells agent code so.
    static constexpr const char* kInsideSocket = "/run/clade/llm.sock";
    static constexpr const char* kSocketEnv = "CLADE_LLM_SOCKET";

private:
    struct Outcome;

    HttpResponse handle(const HttpRequest& request, const HttpRefusal* refusal);
    HttpResponse chat(const HttpRequest& request, Outcome& outcome);
    bool cancelled() const;
    void record(const HttpRequest& request, int status, const Outcome& outcome, double seconds);
    void watchCancel();

    LlmClient& m_client;
    CostBudget& m_budget;
    const std::atomic<bool>* const m_externalCancel;
    /// Passed to every LlmClient call: set by the destructor, or when `cancel` turns true.
    std::atomic<bool> m_cancelCalls{false};
    std::atomic<std::uint64_t> m_answerCount{0};

    mutable std::mutex m_mutex; // guards what follows
    UsageTotals m_usage;
    std::string m_log;
    std::optional<std::string> m_configurationError;
    int m_unlogged = 0;
    bool m_stopWatching = false;
    std::condition_variable m_stopWatch;
    std::thread m_cancelWatcher; ///< only with a `cancel` flag: LlmClient takes a single flag

    /// Last: its threads call handle(), which uses everything above.
    std::unique_ptr<UnixHttpServer> m_server;
};

} // namespace clade::llm
