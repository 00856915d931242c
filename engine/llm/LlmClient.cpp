#include "engine/llm/LlmClient.h"

#include "engine/llm/Backoff.h"
#include "engine/llm/HttpTransport.h"
#include "engine/llm/WireProtocol.h"
#include "engine/util/Utf8Text.h"

#include <QHostAddress>
#include <QUrl>

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <random>
#include <thread>

namespace clade::llm {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using Kind = LlmError::Kind;

// How often a wait between retries looks at the cancellation flags.
constexpr milliseconds kCancelPoll{20};

bool isLoopbackUrl(const std::string& url)
{
    const QString host = QUrl(QString::fromStdString(url)).host();
    return host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0 ||
           QHostAddress(host).isLoopback();
}

/// The URL for messages: user:password@ (some proxies take credentials that way) removed.
std::string displayUrl(const std::string& url)
{
    return QUrl(QString::fromStdString(url)).toDisplayString(QUrl::RemoveUserInfo).toStdString();
}

double jitterDraw()
{
    // Jitter only spreads retries in time; it never changes what a run computes, so it
    // needs no seed from the run.
    thread_local std::mt19937 generator{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

/// False when cancelled before `delay` passed.
template <typename Cancelled>
bool waitUnlessCancelled(milliseconds delay, const Cancelled& cancelled)
{
    const auto until = Clock::now() + delay;
    while (Clock::now() < until) {
        if (cancelled())
            return false;
        std::this_thread::sleep_for(std::min<Clock::duration>(kCancelPoll, until - Clock::now()));
    }
    return !cancelled();
}

/// Why an attempt failed, and whether another attempt may succeed.
struct Failure {
    Kind kind = Kind::Transient;
    std::string message; ///< unredacted; redacted where it leaves the client
    int status = 0;
    bool retryable = false;
    std::optional<milliseconds> retryAfter;
};

std::optional<milliseconds> retryAfterOf(const HttpResult& result)
{
    // retry-after-ms is OpenAI's finer-grained variant of the standard header.
    bool ok = false;
    const double ms = QString::fromStdString(result.header("retry-after-ms")).toDouble(&ok);
    if (ok && ms >= 0)
        return milliseconds(static_cast<std::int64_t>(ms));
    const std::string value = result.header("retry-after");
    if (value.empty())
        return std::nullopt;
    return parseRetryAfter(value, std::chrono::system_clock::now());
}

/// nullopt for a 2xx answer.
std::optional<Failure> judge(const HttpResult& result, const std::string& where,
                             const LlmSettings& settings, const std::string& url)
{
    Failure f;
    switch (result.outcome) {
    case HttpResult::Outcome::Cancelled:
        f.kind = Kind::Cancelled;
        f.message = where + ": cancelled";
        return f;
    case HttpResult::Outcome::Timeout:
        f.kind = Kind::Timeout;
        f.retryable = true;
        f.message = where + ": no answer within " + std::to_string(settings.timeoutSeconds) + " s";
        return f;
    case HttpResult::Outcome::NetworkError:
        f.kind = Kind::Transient;
        f.retryable = true;
        f.message = where + ": network error: " + result.error;
        return f;
    case HttpResult::Outcome::Answered:
        break;
    }
    const int status = result.status;
    if (status >= 200 && status < 300)
        return std::nullopt;
    f.status = status;
    const std::string said = "; the server said: " + serverErrorMessage(result.body);
    const std::string http = where + ": HTTP " + std::to_string(status);
    const std::string keyText = settings.keyEnv.empty()
                                    ? "no key was sent (name its variable in llm.key_env)"
                                    : "the key comes from $" + settings.keyEnv;
    if (status == 429 || status == 408 || status == 409 || status >= 500) {
        f.kind = Kind::Transient;
        f.retryable = true;
        f.retryAfter = retryAfterOf(result);
        f.message = http + (status == 429 ? " (rate limited)" : "") + said;
    } else if (status == 401) {
        f.kind = Kind::Fatal;
        f.message = http + ": the API key was refused (" + keyText + ")" + said;
    } else if (status == 403) {
        f.kind = Kind::Fatal;
        f.message = http + ": the key may not use this model or endpoint (" + keyText + ")" + said;
    } else if (status == 404) {
        f.kind = Kind::Fatal;
        f.message = http + ": unknown model, or no such API at this base URL (" + displayUrl(url) +
                    ")" + said;
    } else if (status == 400) {
        // Rejected, not fatal: a prompt past the model's context length is a 400 as well,
        // and the next, shorter prompt may pass. LlmProposer stops the run when they repeat.
        f.kind = Kind::Rejected;
        f.message = http +
                    ": the server refused the request (check the model name and "
                    "max_tokens; or the prompt is longer than the model's context)" +
                    said;
    } else {
        f.kind = Kind::Rejected;
        f.message = http + said;
    }
    return f;
}

} // namespace

LlmClient::LlmClient(LlmSettings settings, PriceTable prices)
    : m_settings(std::move(settings)), m_prices(std::move(prices)),
      m_protocol(WireProtocol::forProvider(m_settings.provider)),
      m_transport(std::make_unique<HttpTransport>(isLoopbackUrl(m_settings.effectiveBaseUrl()))),
      m_gate(m_settings.concurrency)
{
}

LlmClient::~LlmClient()
{
    cancelAll();
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_callsInFlight == 0; });
}

void LlmClient::cancelAll()
{
    ++m_cancelGeneration;
}

std::string LlmClient::readKey() const
{
    if (m_settings.keyEnv.empty())
        return {};
    const char* value = std::getenv(m_settings.keyEnv.c_str());
    if (!value || !*value) {
        const std::string message = std::string(providerName(m_settings.provider)) + " model '" +
                                    m_settings.model + "': the environment variable " +
                                    m_settings.keyEnv +
                                    " (llm.key_env) that should hold the API key is not set";
        spdlog::error("llm: {}", message);
        throw LlmError(Kind::Fatal, message);
    }
    return value;
}

Redactor LlmClient::redactor() const
{
    const char* value =
        m_settings.keyEnv.empty() ? nullptr : std::getenv(m_settings.keyEnv.c_str());
    return Redactor(value ? std::vector<std::string>{value} : std::vector<std::string>{});
}

void LlmClient::warnPriceMissingOnce(const std::string& model)
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_unpricedModelsWarned.insert(model).second)
            return;
    }
    spdlog::warn("llm: model '{}' has no price in the price table; its calls count as 0 USD "
                 "and the cost budget cannot stop them",
                 model);
}

ChatResponse LlmClient::complete(const ChatRequest& request, const std::atomic<bool>* cancel)
{
    // Counted for the destructor, which waits until no caller is inside.
    struct InFlight {
        LlmClient& client;
        explicit InFlight(LlmClient& c) : client(c)
        {
            std::lock_guard lock(client.m_mutex);
            ++client.m_callsInFlight;
        }
        ~InFlight()
        {
            {
                std::lock_guard lock(client.m_mutex);
                --client.m_callsInFlight;
            }
            client.m_idle.notify_all();
        }
    } inFlight(*this);

    const std::uint64_t generation = m_cancelGeneration.load();
    const auto cancelled = [this, generation, cancel] {
        return m_cancelGeneration.load() != generation || (cancel && cancel->load());
    };
    const std::string key = readKey();
    const Redactor redact({key});
    const std::string model = request.model.empty() ? m_settings.model : request.model;
    const std::string where = std::string(providerName(m_settings.provider)) + " model '" + model +
                              "' at " + displayUrl(m_settings.effectiveBaseUrl());
    HttpCall call = m_protocol->buildCall(m_settings, request, model, key);
    call.timeout = milliseconds(static_cast<std::int64_t>(m_settings.timeoutSeconds * 1000));
    const auto started = Clock::now();

    for (int attempt = 1;; ++attempt) {
        if (!m_gate.acquire(cancelled))
            throw LlmError(Kind::Cancelled, redact(where + ": cancelled"), 0, attempt - 1);
        HttpResult result;
        {
            struct Slot {
                ConcurrencyGate& gate;
                ~Slot() { gate.release(); }
            } slot{m_gate};
            result = m_transport->post(call, cancelled);
        }

        const std::optional<Failure> failure = judge(result, where, m_settings, call.url);
        if (!failure) {
            ChatResponse response;
            int invalidBytes = 0;
            try {
                // Repaired, not refused: the answer may still be good text around one bad
                // byte, and the caller is told (invalidUtf8Bytes) to note it.
                const std::string body = engine::toValidUtf8(result.body, &invalidBytes);
                response = m_protocol->parseAnswer(body);
            } catch (const std::exception& e) {
                const std::string message =
                    redact(where + ": HTTP " + std::to_string(result.status) + " but " + e.what() +
                           ": " + serverErrorMessage(result.body));
                spdlog::error("llm: {}", message);
                throw LlmError(Kind::BadResponse, message, result.status, attempt);
            }
            if (const std::string id = result.header(m_protocol->requestIdHeader()); !id.empty())
                response.requestId = id;
            response.attempts = attempt;
            response.invalidUtf8Bytes = invalidBytes;
            if (invalidBytes > 0)
                spdlog::warn("llm: {}: the answer held {} byte(s) that are not UTF-8, replaced with U+FFFD",
                             redact(where), invalidBytes);
            response.latencySeconds = result.seconds;
            response.totalSeconds = std::chrono::duration<double>(Clock::now() - started).count();
            std::optional<double> cost = m_prices.cost(model, response.usage);
            if (!cost && !response.model.empty())
                cost = m_prices.cost(response.model, response.usage);
            response.costUsd = cost.value_or(0.0);
            response.priceMissing = !cost;
            if (response.priceMissing)
                warnPriceMissingOnce(model);
            return response;
        }

        const std::string message = redact(failure->message);
        if (failure->kind == Kind::Cancelled)
            throw LlmError(Kind::Cancelled, message, 0, attempt);
        if (!failure->retryable || attempt > m_settings.maxRetries) {
            const std::string text = failure->retryable ? message + " (gave up after " +
                                                              std::to_string(attempt) + " attempts)"
                                                        : message;
            spdlog::error("llm: {}", text);
            throw LlmError(failure->kind, text, failure->status, attempt);
        }

        const milliseconds delay =
            failure->retryAfter
                ? std::min(*failure->retryAfter,
                           milliseconds(m_settings.retryAfterMaxSeconds * 1000LL))
                : fullJitterDelay(attempt - 1, milliseconds(m_settings.backoffInitialMs),
                                  milliseconds(m_settings.backoffMaxMs), jitterDraw());
        spdlog::warn("llm: {}; retry {}/{} in {:.2f} s{}", message, attempt, m_settings.maxRetries,
                     static_cast<double>(delay.count()) / 1000.0,
                     failure->retryAfter ? " (Retry-After)" : "");
        if (!waitUnlessCancelled(delay, cancelled))
            throw LlmError(Kind::Cancelled, redact(where + ": cancelled while waiting to retry"), 0,
                           attempt);
    }
}

} // namespace clade::llm
