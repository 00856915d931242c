#include "engine/llm/LlmGateway.h"

#include "engine/llm/ChatCompletionsJson.h"
#include "engine/llm/LlmError.h"
#include "engine/util/Utf8Text.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>
#include <stdexcept>
#include <system_error>

namespace clade::llm {

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kChatPath = "/v1/chat/completions";
constexpr const char* kModelsPath = "/v1/models";
// How often the watcher looks at the caller's cancel flag: a plain atomic set by someone
// else, so there is nothing to be notified by.
constexpr std::chrono::milliseconds kCancelPoll{50};
// The log is written to the node's artifacts; a client looping on bad requests must not
// make it grow without end.
constexpr std::size_t kMaxLogBytes = 1 << 20;
constexpr std::size_t kMaxLoggedTarget = 200;

std::string utcNow()
{
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char text[40];
    const std::size_t length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(text + length, sizeof text - length, ".%03dZ", static_cast<int>(ms));
    return text;
}

// Client-chosen text in a log line stays on its line: control bytes become '?'.
// `limit` counts characters; a client's bytes that are not UTF-8 become U+FFFD.
std::string oneLine(std::string_view text, std::size_t limit = std::string::npos)
{
    std::string out = limit == std::string::npos ? engine::toValidUtf8(text) : engine::elide(text, limit, "...");
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = '?';
    return out;
}

} // namespace

/// What the log says about one request.
struct LlmGateway::Outcome {
    std::optional<ChatResponse> answer;
    std::string error;

    /// The error response, remembering its message for the log.
    HttpResponse fail(int status, const std::string& message, const std::string& type,
                      std::vector<std::pair<std::string, std::string>> headers = {})
    {
        error = message;
        return {status, errorJson(message, type), std::move(headers)};
    }
};

LlmGateway::LlmGateway(LlmClient& client, CostBudget& budget, const std::filesystem::path& folder,
                       const std::atomic<bool>* cancel, HttpServerLimits limits)
    : m_client(client), m_budget(budget), m_externalCancel(cancel)
{
    std::error_code error;
    if (!std::filesystem::is_directory(folder, error))
        throw std::runtime_error("cannot listen on " + (folder / kSocketName).string() + ": " +
                                 folder.string() + " is not a folder");
    // The sandbox user reaches the socket through this folder, bind-mounted.
    std::filesystem::permissions(folder, std::filesystem::perms(0755), error);
    if (error)
        throw std::runtime_error("cannot make " + folder.string() +
                                 " mode 0755: " + error.message());
    if (m_externalCancel)
        m_cancelWatcher = std::thread([this] { watchCancel(); });
    try {
        m_server = std::make_unique<UnixHttpServer>(
            folder / kSocketName, limits,
            [this](const HttpRequest& request, const HttpRefusal* refusal) {
                return handle(request, refusal);
            });
    } catch (...) {
        {
            std::lock_guard lock(m_mutex);
            m_stopWatching = true;
        }
        m_stopWatch.notify_all();
        if (m_cancelWatcher.joinable())
            m_cancelWatcher.join();
        throw;
    }
}

LlmGateway::~LlmGateway()
{
    // Calls in flight return (Cancelled) before the server waits for their threads.
    m_cancelCalls = true;
    {
        std::lock_guard lock(m_mutex);
        m_stopWatching = true;
    }
    m_stopWatch.notify_all();
    if (m_cancelWatcher.joinable())
        m_cancelWatcher.join();
    m_server->stop();
}

void LlmGateway::watchCancel()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopWatching) {
        if (m_externalCancel->load()) {
            m_cancelCalls = true;
            return;
        }
        m_stopWatch.wait_for(lock, kCancelPoll);
    }
}

std::filesystem::path LlmGateway::socketPath() const
{
    return m_server->socketPath();
}

std::optional<std::string> LlmGateway::configurationError() const
{
    std::lock_guard lock(m_mutex);
    return m_configurationError;
}

UsageTotals LlmGateway::usage() const
{
    std::lock_guard lock(m_mutex);
    return m_usage;
}

std::string LlmGateway::log() const
{
    std::lock_guard lock(m_mutex);
    if (m_unlogged == 0)
        return m_log;
    return m_log + "(" + std::to_string(m_unlogged) + " more requests not logged)\n";
}

bool LlmGateway::cancelled() const
{
    return m_cancelCalls.load() || (m_externalCancel && m_externalCancel->load());
}

HttpResponse LlmGateway::handle(const HttpRequest& request, const HttpRefusal* refusal)
{
    const auto started = Clock::now();
    Outcome outcome;
    const auto response = [&]() -> HttpResponse {
        if (refusal)
            return outcome.fail(refusal->status, refusal->message, "invalid_request_error");
        if (request.path == kChatPath)
            return request.method == "POST"
                       ? chat(request, outcome)
                       : outcome.fail(405, std::string("use POST on ") + kChatPath,
                                      "invalid_request_error", {{"Allow", "POST"}});
        if (request.path == kModelsPath)
            return request.method == "GET"
                       ? HttpResponse{200, modelListJson(m_client.settings().model), {}}
                       : outcome.fail(405, std::string("use GET on ") + kModelsPath,
                                      "invalid_request_error", {{"Allow", "GET"}});
        return outcome.fail(404,
                            "no such path: " + oneLine(request.path, kMaxLoggedTarget) +
                                " (the gateway serves POST " + kChatPath + " and GET " +
                                kModelsPath + ")",
                            "invalid_request_error");
    }();
    record(request, response.status, outcome,
           std::chrono::duration<double>(Clock::now() - started).count());
    return response;
}

HttpResponse LlmGateway::chat(const HttpRequest& request, Outcome& outcome)
{
    if (cancelled())
        return outcome.fail(503, "the run was cancelled or the gateway is stopping", "unavailable");
    ChatRequest call;
    try {
        call = parseChatCompletionsRequest(request.body);
    } catch (const std::invalid_argument& e) {
        return outcome.fail(400, e.what(), "invalid_request_error");
    }
    if (!m_budget.allows())
        return outcome.fail(402, m_budget.describe(), "budget_exhausted");

    ChatResponse answer;
    try {
        answer = m_client.complete(call, &m_cancelCalls);
    } catch (const LlmError& e) {
        // LlmError messages are redacted already; the gateway's redactor also catches a key
        // the environment holds now (rotated since the call began).
        const std::string message = m_client.redactor()(e.what());
        const int status = e.httpStatus();
        if (e.isFatal() && (status == 0 || status == 401 || status == 403 || status == 404)) {
            std::lock_guard lock(m_mutex);
            if (!m_configurationError)
                m_configurationError = message;
        }
        return e.kind() == LlmError::Kind::Cancelled ? outcome.fail(503, message, "unavailable")
                                                     : outcome.fail(502, message, "upstream_error");
    } catch (const std::exception& e) {
        return outcome.fail(502, m_client.redactor()(e.what()), "upstream_error");
    }

    m_budget.charge(answer.costUsd);
    {
        std::lock_guard lock(m_mutex);
        m_usage.add(answer);
    }
    const std::uint64_t number = ++m_answerCount;
    const std::string id =
        answer.requestId.empty() ? "chatcmpl-clade-" + std::to_string(number) : answer.requestId;
    const std::string model = answer.model.empty() ? m_client.settings().model : answer.model;
    const auto created = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    outcome.answer = answer;
    return {200, chatCompletionJson(answer, id, model, created), {}};
}

void LlmGateway::record(const HttpRequest& request, int status, const Outcome& outcome,
                        double seconds)
{
    std::string line =
        utcNow() + " " + (request.method.empty() ? std::string("-") : oneLine(request.method)) +
        " " +
        (request.target.empty() ? std::string("-") : oneLine(request.target, kMaxLoggedTarget)) +
        " " + std::to_string(status);
    char numbers[160];
    if (const auto& answer = outcome.answer) {
        std::snprintf(numbers, sizeof numbers, " in=%lld out=%lld cached=%lld cost=$%.6f%s",
                      static_cast<long long>(answer->usage.inputTokens),
                      static_cast<long long>(answer->usage.outputTokens),
                      static_cast<long long>(answer->usage.cachedInputTokens), answer->costUsd,
                      answer->priceMissing ? " (no price)" : "");
        line += numbers;
    }
    std::snprintf(numbers, sizeof numbers, " %.3fs", seconds);
    line += numbers;
    if (!outcome.error.empty())
        line += " error: " + oneLine(outcome.error);
    line = m_client.redactor()(line) + "\n";

    std::lock_guard lock(m_mutex);
    if (m_log.size() + line.size() > kMaxLogBytes)
        ++m_unlogged;
    else
        m_log += line;
}

} // namespace clade::llm
