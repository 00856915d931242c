#pragma once

#include "engine/llm/ChatRequest.h"
#include "engine/llm/ChatResponse.h"
#include "engine/llm/ConcurrencyGate.h"
#include "engine/llm/LlmError.h"
#include "engine/llm/LlmSettings.h"
#include "engine/llm/PriceTable.h"
#include "engine/llm/Redactor.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace clade::llm {

class HttpTransport;
class WireProtocol;

/// A model behind one provider API, shared by every engine thread that calls it.
///
/// Why a blocking complete(): the engine's workers are std::threads without a Qt event
/// loop (RunEngine), each works through one node at a time and has nothing else to do
/// while its proposal's answer is pending, and errors stay on the caller's thread as the
/// architecture asks. So complete() blocks its caller, while the network work runs on a
/// QThread the client owns (HttpTransport). Retries, waits and the concurrency gate run on
/// the calling thread; only the HTTP exchange itself runs on the network thread.
///
/// The key is read from the environment variable the settings name at each call and lives
/// only for that call; every error message and log line goes through a Redactor holding it.
class LlmClient {
public:
    explicit LlmClient(LlmSettings settings, PriceTable prices = {});
    /// Cancels the calls in flight and waits until their callers have returned.
    ~LlmClient();
    LlmClient(const LlmClient&) = delete;
    LlmClient& operator=(const LlmClient&) = delete;

    /// One chat call with retries (429, 5xx, network errors, timeouts; Retry-After is
    /// honoured). Throws LlmError: isFatal() for a bad key, an unknown model or a wrong base
    /// URL, which should stop the run. `cancel` set by another thread aborts this call;
    /// never call from a thread the client's network thread waits on.
    ChatResponse complete(const ChatRequest& request, const std::atomic<bool>* cancel = nullptr);

    /// Aborts every call in flight and every wait between retries (they throw Cancelled);
    /// calls started afterwards run normally.
    void cancelAll();

    const LlmSettings& settings() const { return m_settings; }
    const PriceTable& prices() const { return m_prices; }
    /// A redactor with the key as the environment holds it now, for callers that write
    /// prompts, answers or errors to artifacts.
    Redactor redactor() const;

private:
    std::string readKey() const;
    void warnPriceMissingOnce(const std::string& model);

    const LlmSettings m_settings;
    const PriceTable m_prices;
    std::unique_ptr<WireProtocol> m_protocol;
    std::unique_ptr<HttpTransport> m_transport;
    ConcurrencyGate m_gate;
    std::atomic<std::uint64_t> m_cancelGeneration{0};

    std::mutex m_mutex; // guards what follows
    std::condition_variable m_idle;
    int m_callsInFlight = 0;
    std::set<std::string> m_unpricedModelsWarned;
};

} // namespace clade::llm
