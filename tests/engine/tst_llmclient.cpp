// The model providers (engine/llm) against a scripted HTTP server on loopback: what goes
// on the wire for both APIs, what comes back (text, usage, cost), retries and their waits,
// fatal errors, timeouts, cancellation, the concurrency limit, and that the API key never
// shows up in an error, a log line or serialised settings. No network beyond 127.0.0.1.
#include "engine/llm/Backoff.h"
#include "engine/llm/LlmClient.h"
#include "engine/llm/LlmError.h"
#include "engine/llm/LlmSettings.h"
#include "engine/llm/PriceTable.h"
#include "engine/llm/Redactor.h"
#include "engine/util/InputError.h"
#include "support/FakeLlmServer.h"
#include "support/FakeLlmSettings.h"
#include "support/LlmFixtures.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QtTest>

#include <nlohmann/json.hpp>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <sstream>
#include <string_view>
#include <thread>
#include <vector>

using namespace clade::llm;
using namespace testsupport;
namespace fx = testsupport::llmfixtures;
using std::chrono::milliseconds;

namespace {

// Tells a cancel or timeout that worked from one that waited out a 30 s Retry-After or a
// hung server, with room for a loaded 2-core machine under ASan. Latency is not tested here.
constexpr qint64 kLongerThanAnyStall = 10000;

ChatRequest twoMessages()
{
    ChatRequest request;
    request.messages = {{Role::System, "You improve agents."}, {Role::User, "Improve solve()."}};
    request.maxTokens = 256;
    request.temperature = 0.25;
    return request;
}

std::optional<LlmError> failureOf(LlmClient& client, const ChatRequest& request,
                                  const std::atomic<bool>* cancel = nullptr)
{
    try {
        client.complete(request, cancel);
    } catch (const LlmError& e) {
        return e;
    }
    return std::nullopt;
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

// A log sink that notes when a line containing `text` is written, on any thread.
class LogWatch : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit LogWatch(std::string text) : m_text(std::move(text)) {}
    bool seen() const { return m_seen.load(); }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override
    {
        const std::string_view line(msg.payload.data(), msg.payload.size());
        if (line.find(m_text) != std::string_view::npos)
            m_seen = true;
    }
    void flush_() override {}

private:
    const std::string m_text;
    std::atomic<bool> m_seen{false};
};

} // namespace

class TestLlmClient : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void openAiRequestAndAnswer();
    void openAiLocalServerWithoutKeyOrUsage();
    void anthropicRequestAndAnswer();

    void retryAfterIsHonoured();
    void serverErrorsAreRetried();
    void serverErrorsUntilGiveUp();
    void refusedRequestIsNotRetried_data();
    void refusedRequestIsNotRetried();
    void missingKeyVariableIsFatal();
    void timeoutIsRetriedThenReported();
    void malformedAnswer_data();
    void malformedAnswer();
    void redirectIsNotFollowed();

    void cancelInFlight();
    void cancelAllDuringRetryWait();
    void concurrencyLimitHonoured();

    void backoffDelays();
    void retryAfterParsing_data();
    void retryAfterParsing();
    void priceTable();
    void settingsRoundTripWithoutKey();
    void settingsRefuseLiteralKeys();
    void redaction_data();
    void redaction();

    void keyNeverInLogs(); // last: reads what every test above logged

private:
    std::shared_ptr<std::ostringstream> m_log = std::make_shared<std::ostringstream>();
    std::shared_ptr<spdlog::logger> m_previousLogger;
};

void TestLlmClient::initTestCase()
{
    qputenv(kKeyVar, fx::kApiKey);
    m_previousLogger = spdlog::default_logger();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*m_log);
    auto logger = std::make_shared<spdlog::logger>("tst_llmclient", sink);
    logger->set_level(spdlog::level::debug);
    spdlog::set_default_logger(logger);
}

void TestLlmClient::cleanupTestCase()
{
    spdlog::set_default_logger(m_previousLogger);
    qunsetenv(kKeyVar);
}

void TestLlmClient::openAiRequestAndAnswer()
{
    FakeLlmServer server([](const FakeHttpRequest&, int) {
        return answer(200, fx::kOpenAiAnswer, {{"x-request-id", "req-openai-header"}});
    });
    LlmClient client(settingsFor(server, ProviderKind::OpenAi, "gpt-test"), fixturePrices());
    const ChatResponse response = client.complete(twoMessages());

    QCOMPARE(server.requestCount(), 1);
    const FakeHttpRequest request = server.requests().front();
    QCOMPARE(request.method, std::string("POST"));
    QCOMPARE(request.path, std::string("/v1/chat/completions"));
    QCOMPARE(request.headers.at("authorization"), std::string("Bearer ") + fx::kApiKey);
    QVERIFY(contains(request.headers.at("content-type"), "application/json"));
    QVERIFY(!request.headers.contains("x-api-key"));
    const auto body = nlohmann::json::parse(request.body);
    QCOMPARE(body.at("model"), "gpt-test");
    QCOMPARE(body.at("max_tokens"), 256);
    QCOMPARE(body.at("temperature").get<double>(), 0.25);
    QCOMPARE(body.at("messages").size(), 2u);
    QCOMPARE(body.at("messages")[0].at("role"), "system");
    QCOMPARE(body.at("messages")[0].at("content"), "You improve agents.");
    QCOMPARE(body.at("messages")[1].at("role"), "user");
    QCOMPARE(body.at("messages")[1].at("content"), "Improve solve().");

    QCOMPARE(response.text, std::string("def solve():\n    return 42\n"));
    QCOMPARE(response.finishReason, std::string("stop"));
    QCOMPARE(response.model, std::string("gpt-test-2024-01-01"));
    QCOMPARE(response.requestId,
             std::string("req-openai-header")); // the header wins over the body's id
    QVERIFY(response.usage.reported);
    QCOMPARE(response.usage.inputTokens, 1200);
    QCOMPARE(response.usage.outputTokens, 300);
    QCOMPARE(response.usage.cachedInputTokens, 1000);
    QCOMPARE(response.attempts, 1);
    QVERIFY(response.latencySeconds > 0);
    QVERIFY(response.totalSeconds >= response.latencySeconds);
    // 200 uncached * 2 + 1000 cached * 0.5 + 300 out * 8, per million
    QVERIFY(!response.priceMissing);
    QVERIFY(qFuzzyCompare(response.costUsd, 3300.0 / 1e6));
}

void TestLlmClient::openAiLocalServerWithoutKeyOrUsage()
{
    FakeLlmServer server(
        [](const FakeHttpRequest&, int) { return answer(200, fx::kOpenAiAnswerWithoutUsage); });
    LlmSettings settings = settingsFor(server, ProviderKind::OpenAi, "qwen-local");
    settings.keyEnv.clear(); // llama.cpp / Ollama: no key
    LlmClient client(settings, fixturePrices());
    ChatRequest request;
    request.messages = {{Role::User, "hello"}};
    const ChatResponse response = client.complete(request);

    const FakeHttpRequest seen = server.requests().front();
    QVERIFY(!seen.headers.contains("authorization"));
    QVERIFY(!nlohmann::json::parse(seen.body).contains("temperature")); // unset: server default
    QCOMPARE(response.text, std::string("hi"));
    QCOMPARE(response.finishReason, std::string("length"));
    QCOMPARE(response.requestId, std::string("local-1")); // no header: the body's id
    QVERIFY(!response.usage.reported);
    QCOMPARE(response.usage.inputTokens, 0);
    QVERIFY(response.priceMissing);
    QCOMPARE(response.costUsd, 0.0);
    QVERIFY(contains(m_log->str(), "'qwen-local' has no price"));
}

void TestLlmClient::anthropicRequestAndAnswer()
{
    FakeLlmServer server([](const FakeHttpRequest&, int) {
        return answer(200, fx::kAnthropicAnswer, {{"request-id", "req_anthropic_header"}});
    });
    LlmClient client(settingsFor(server, ProviderKind::Anthropic, "claude-test"), fixturePrices());
    ChatRequest request = twoMessages();
    request.messages.insert(request.messages.begin() + 1, {Role::System, "Answer in Python."});
    request.messages.push_back({Role::Assistant, "Which file?"});
    request.messages.push_back({Role::User, "agent.py"});
    const ChatResponse response = client.complete(request);

    const FakeHttpRequest seen = server.requests().front();
    QCOMPARE(seen.path, std::string("/v1/messages"));
    QCOMPARE(seen.headers.at("x-api-key"), std::string(fx::kApiKey));
    QCOMPARE(seen.headers.at("anthropic-version"), std::string("2023-06-01"));
    QVERIFY(!seen.headers.contains("authorization"));
    const auto body = nlohmann::json::parse(seen.body);
    QCOMPARE(body.at("model"), "claude-test");
    QCOMPARE(body.at("max_tokens"), 256);
    QCOMPARE(body.at("system"), "You improve agents.\n\nAnswer in Python.");
    QCOMPARE(body.at("messages").size(), 3u); // system messages are not messages here
    QCOMPARE(body.at("messages")[0].at("role"), "user");
    QCOMPARE(body.at("messages")[1].at("role"), "assistant");
    QCOMPARE(body.at("messages")[2].at("content"), "agent.py");

    QCOMPARE(response.text, std::string("First part. Second part.")); // text blocks only
    QCOMPARE(response.finishReason, std::string("end_turn"));
    QCOMPARE(response.requestId, std::string("req_anthropic_header"));
    QCOMPARE(response.usage.inputTokens, 260); // 50 + 200 cache reads + 10 cache writes
    QCOMPARE(response.usage.cachedInputTokens, 200);
    QCOMPARE(response.usage.cacheWriteTokens, 10);
    QCOMPARE(response.usage.outputTokens, 40);
    // 60 uncached * 3 + 200 cached * 0.3 + 40 out * 15, per million
    QVERIFY(qFuzzyCompare(response.costUsd, 840.0 / 1e6));
}

void TestLlmClient::retryAfterIsHonoured()
{
    FakeLlmServer server([](const FakeHttpRequest&, int index) {
        if (index == 0)
            return answer(429, fx::kRateLimitedEchoingKey, {{"Retry-After", "1"}});
        return answer(200, fx::kOpenAiAnswer);
    });
    LlmClient client(settingsFor(server, ProviderKind::OpenAi, "gpt-test"), fixturePrices());
    const ChatResponse response = client.complete(twoMessages());

    const auto requests = server.requests();
    QCOMPARE(requests.size(), 2u);
    const qint64 waited = requests[1].arrivedMs - requests[0].arrivedMs;
    QVERIFY2(waited >= 990 && waited < 3000, qPrintable(QString::number(waited)));
    QCOMPARE(response.attempts, 2);
    QVERIFY(response.totalSeconds >= 0.99);
    QVERIFY(contains(m_log->str(), "HTTP 429 (rate limited)"));
    QVERIFY(contains(m_log->str(), "(Retry-After)"));
}

void TestLlmClient::serverErrorsAreRetried()
{
    FakeLlmServer server([](const FakeHttpRequest&, int index) {
        return index < 2 ? answer(index == 0 ? 500 : 503, fx::kServerError)
                         : answer(200, fx::kOpenAiAnswer);
    });
    LlmClient client(settingsFor(server, ProviderKind::OpenAi, "gpt-test"), fixturePrices());
    const ChatResponse response = client.complete(twoMessages());
    QCOMPARE(server.requestCount(), 3);
    QCOMPARE(response.attempts, 3);
    // Full jitter below the 20 ms ceiling: well under the scheduler's noise.
    const auto requests = server.requests();
    QVERIFY(requests[2].arrivedMs - requests[0].arrivedMs < 1000);
}

void TestLlmClient::serverErrorsUntilGiveUp()
{
    FakeLlmServer server([](const FakeHttpRequest&, int) { return answer(500, fx::kServerError); });
    LlmSettings settings = settingsFor(server, ProviderKind::OpenAi, "gpt-test");
    settings.maxRetries = 2;
    LlmClient client(settings);
    const auto error = failureOf(client, twoMessages());
    QVERIFY(error);
    QCOMPARE(error->kind(), LlmError::Kind::Transient);
    QVERIFY(!error->isFatal());
    QCOMPARE(error->httpStatus(), 500);
    QCOMPARE(error->attempts(), 3);
    QCOMPARE(server.requestCount(), 3);
    QVERIFY2(contains(error->what(), "gave up after 3 attempts"), error->what());
    QVERIFY2(contains(error->what(), "upstream overloaded"), error->what());
}

void TestLlmClient::refusedRequestIsNotRetried_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("anthropic");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("explanation");
    QTest::addColumn<QString>("serverSaid");
    QTest::addColumn<bool>("fatal");
    QTest::newRow("401 bad key") << 401 << false << fx::kUnauthorizedEchoingKey
                                 << "the API key was refused"
                                 << "Incorrect API key provided" << true;
    QTest::newRow("403 no access")
        << 403 << false << "{\"error\":{\"message\":\"project has no access\"}}"
        << "may not use this model"
        << "project has no access" << true;
    QTest::newRow("404 unknown model") << 404 << true << fx::kAnthropicNotFound << "unknown model"
                                       << "model: claude-nonexistent" << true;
    // Not fatal: a prompt longer than the model's context gets a 400 too, and the next,
    // shorter one may pass (the proposer stops the run after several in a row).
    QTest::newRow("400 bad request")
        << 400 << false << "{\"error\":{\"message\":\"max_tokens too large\"}}"
        << "refused the request"
        << "max_tokens too large" << false;
}

void TestLlmClient::refusedRequestIsNotRetried()
{
    QFETCH(int, status);
    QFETCH(bool, anthropic);
    QFETCH(QString, body);
    QFETCH(QString, explanation);
    QFETCH(QString, serverSaid);
    QFETCH(bool, fatal);
    FakeLlmServer server(
        [&](const FakeHttpRequest&, int) { return answer(status, body.toStdString()); });
    const auto provider = anthropic ? ProviderKind::Anthropic : ProviderKind::OpenAi;
    const LlmSettings settings = settingsFor(server, provider, "some-model");
    LlmClient client(settings);
    const auto error = failureOf(client, twoMessages());

    QVERIFY(error);
    QCOMPARE(error->isFatal(), fatal);
    QCOMPARE(error->kind(), fatal ? LlmError::Kind::Fatal : LlmError::Kind::Rejected);
    QCOMPARE(error->httpStatus(), status);
    QCOMPARE(server.requestCount(), 1); // never retried
    const std::string message = error->what();
    QVERIFY2(contains(message, "some-model"), message.c_str());
    QVERIFY2(contains(message, settings.effectiveBaseUrl()), message.c_str());
    QVERIFY2(contains(message, explanation.toStdString()), message.c_str());
    QVERIFY2(contains(message, serverSaid.toStdString()), message.c_str());
    QVERIFY2(!contains(message, fx::kApiKey), message.c_str());
}

void TestLlmClient::missingKeyVariableIsFatal()
{
    FakeLlmServer server(
        [](const FakeHttpRequest&, int) { return answer(200, fx::kOpenAiAnswer); });
    LlmSettings settings = settingsFor(server, ProviderKind::OpenAi, "gpt-test");
    settings.keyEnv = "CLADE_TST_LLM_UNSET_VARIABLE";
    LlmClient client(settings);
    const auto error = failureOf(client, twoMessages());
    QVERIFY(error && error->isFatal());
    QVERIFY(contains(error->what(), "CLADE_TST_LLM_UNSET_VARIABLE"));
    QCOMPARE(server.requestCount(), 0);
}

void TestLlmClient::timeoutIsRetriedThenReported()
{
    FakeLlmServer server([](const FakeHttpRequest&, int) {
        FakeHttpResponse response;
        response.hang = true;
        return response;
    });
    LlmSettings settings = settingsFor(server, ProviderKind::OpenAi, "gpt-test");
    settings.timeoutSeconds = 0.2;
    settings.maxRetries = 1;
    LlmClient client(settings);
    QElapsedTimer clock;
    clock.start();
    const auto error = failureOf(client, twoMessages());
    QVERIFY(error);
    QCOMPARE(error->kind(), LlmError::Kind::Timeout);
    QVERIFY(!error->isFatal());
    QCOMPARE(server.requestCount(), 2);
    // Two 0.2 s timeouts, never fewer; the upper bound only tells "timed out" from "hung"
    // and is loose enough for a loaded machine under ASan.
    QVERIFY2(clock.elapsed() >= 390 && clock.elapsed() < kLongerThanAnyStall,
             qPrintable(QString::number(clock.elapsed())));
    QVERIFY(contains(error->what(), "no answer within"));
}

void TestLlmClient::malformedAnswer_data()
{
    QTest::addColumn<QString>("body");
    QTest::newRow("not JSON") << "{\"choices\": [ oops";
    QTest::newRow("no choices") << "{\"id\": \"x\", \"object\": \"chat.completion\"}";
    QTest::newRow("JSON array") << "[1, 2]";
}

void TestLlmClient::malformedAnswer()
{
    QFETCH(QString, body);
    FakeLlmServer server(
        [&](const FakeHttpRequest&, int) { return answer(200, body.toStdString()); });
    LlmClient client(settingsFor(server, ProviderKind::OpenAi, "gpt-test"));
    const auto error = failureOf(client, twoMessages());
    QVERIFY(error);
    QCOMPARE(error->kind(), LlmError::Kind::BadResponse);
    QVERIFY(!error->isFatal());
    QCOMPARE(server.requestCount(), 1);
}

void TestLlmClient::redirectIsNotFollowed()
{
    // Following it would send the key to wherever the Location points.
    FakeLlmServer server([](const FakeHttpRequest&, int) {
        return answer(307, "{}", {{"Location", "http://127.0.0.1:9/elsewhere"}});
    });
    LlmSettings settings = settingsFor(server, ProviderKind::OpenAi, "gpt-test");
    settings.baseUrl =
        "http://proxyuser:proxysecret@127.0.0.1:" + std::to_string(server.port()) + "/v1";
    LlmClient client(settings);
    const auto error = failureOf(client, twoMessages());
    QVERIFY(error);
    QCOMPARE(error->kind(), LlmError::Kind::Rejected);
    QCOMPARE(error->httpStatus(), 307);
    QCOMPARE(server.requestCount(), 1);
    QVERIFY2(!contains(error->what(), "proxysecret"),
             error->what()); // user info left out of messages
    QVERIFY2(contains(error->what(), "127.0.0.1"), error->what());
}

void TestLlmClient::cancelInFlight()
{
    FakeLlmServer server([](const FakeHttpRequest&, int) {
        FakeHttpResponse response;
        response.hang = true;
        return response;
    });
    LlmClient client(settingsFor(server, ProviderKind::OpenAi, "gpt-test"));
    std::atomic<bool> cancel{false};
    std::optional<LlmError> error;
    std::thread worker([&] { error = failureOf(client, twoMessages(), &cancel); });
    QTRY_COMPARE(server.requestCount(), 1);
    QElapsedTimer clock;
    clock.start();
    cancel = true;
    worker.join();
    QVERIFY(clock.elapsed() < kLongerThanAnyStall); // not the 30 s wait, nor the hang
    QVERIFY(error);
    QCOMPARE(error->kind(), LlmError::Kind::Cancelled);
    QCOMPARE(server.requestCount(), 1);
}

void TestLlmClient::cancelAllDuringRetryWait()
{
    FakeLlmServer server([](const FakeHttpRequest&, int) {
        return answer(429, fx::kRateLimitedEchoingKey, {{"Retry-After", "30"}});
    });
    LlmClient client(settingsFor(server, ProviderKind::OpenAi, "gpt-test"));
    // The client announces its wait for the retry just before it starts waiting: a cancel
    // after that line cancels the wait, never the request still in flight.
    auto retryAnnounced = std::make_shared<LogWatch>("; retry 1/");
    spdlog::default_logger()->sinks().push_back(retryAnnounced); // no other thread logs yet
    std::optional<LlmError> error;
    std::thread worker([&] { error = failureOf(client, twoMessages()); });
    const bool waiting = QTest::qWaitFor([&] { return retryAnnounced->seen(); }, 30000);
    QElapsedTimer clock;
    clock.start();
    client.cancelAll();
    worker.join();
    spdlog::default_logger()->sinks().pop_back();
    QVERIFY2(waiting, "the 429 never made the client wait to retry");
    QVERIFY(clock.elapsed() < kLongerThanAnyStall); // not the 30 s wait, nor the hang
    QVERIFY(error);
    QCOMPARE(error->kind(), LlmError::Kind::Cancelled);
    QVERIFY2(contains(error->what(), "cancelled while waiting to retry"), error->what());
    QCOMPARE(server.requestCount(), 1);

    // cancelAll stops what was in flight, not the client.
    FakeLlmServer healthy(
        [](const FakeHttpRequest&, int) { return answer(200, fx::kOpenAiAnswer); });
    LlmClient again(settingsFor(healthy, ProviderKind::OpenAi, "gpt-test"));
    again.cancelAll();
    QCOMPARE(again.complete(twoMessages()).attempts, 1);
}

void TestLlmClient::concurrencyLimitHonoured()
{
    FakeLlmServer server([](const FakeHttpRequest&, int) {
        FakeHttpResponse response = answer(200, fx::kOpenAiAnswer);
        response.delayMs = 150;
        return response;
    });
    LlmSettings settings = settingsFor(server, ProviderKind::OpenAi, "gpt-test");
    settings.concurrency = 2;
    LlmClient client(settings);
    std::atomic<int> succeeded{0};
    std::vector<std::thread> workers;
    for (int i = 0; i < 6; ++i)
        workers.emplace_back([&] {
            if (!failureOf(client, twoMessages()))
                ++succeeded;
        });
    for (auto& worker : workers)
        worker.join();
    QCOMPARE(succeeded.load(), 6);
    QCOMPARE(server.requestCount(), 6);
    QCOMPARE(server.maxInFlight(), 2); // at the limit, never above it
}

void TestLlmClient::backoffDelays()
{
    const milliseconds initial(100), cap(1000);
    QCOMPARE(fullJitterDelay(0, initial, cap, 1.0), milliseconds(100));
    QCOMPARE(fullJitterDelay(3, initial, cap, 1.0), milliseconds(800));
    QCOMPARE(fullJitterDelay(10, initial, cap, 1.0), milliseconds(1000)); // capped
    QCOMPARE(fullJitterDelay(60, initial, cap, 1.0), milliseconds(1000));
    QCOMPARE(fullJitterDelay(2, initial, cap, 0.5), milliseconds(200));
    QCOMPARE(fullJitterDelay(5, initial, cap, 0.0), milliseconds(0));
}

void TestLlmClient::retryAfterParsing_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<qint64>("expectedMs"); // -1: not a Retry-After value
    QTest::newRow("seconds") << "1" << qint64(1000);
    QTest::newRow("zero") << "0" << qint64(0);
    QTest::newRow("fraction") << "2.5" << qint64(2500);
    QTest::newRow("http date") << "Wed, 21 Oct 2015 07:28:10 GMT" << qint64(10000);
    QTest::newRow("date in the past") << "Wed, 21 Oct 2015 07:27:00 GMT" << qint64(0);
    QTest::newRow("words") << "soon" << qint64(-1);
    QTest::newRow("empty") << "" << qint64(-1);
    QTest::newRow("negative") << "-3" << qint64(-1);
}

void TestLlmClient::retryAfterParsing()
{
    QFETCH(QString, value);
    QFETCH(qint64, expectedMs);
    const QDateTime now(QDate(2015, 10, 21), QTime(7, 28, 0), Qt::UTC);
    const std::chrono::system_clock::time_point nowPoint{milliseconds(now.toMSecsSinceEpoch())};
    const auto parsed = parseRetryAfter(value.toStdString(), nowPoint);
    if (expectedMs < 0)
        QVERIFY(!parsed);
    else
        QCOMPARE(parsed.value_or(milliseconds(-1)).count(), expectedMs);
}

void TestLlmClient::priceTable()
{
    const PriceTable table = fixturePrices();
    QCOMPARE(table.find("no-cache-rate")->cachedInput, 1.0); // defaults to the input rate
    QVERIFY(!table.cost("unknown", Usage{}));
    Usage usage;
    usage.inputTokens = 1'000'000;
    usage.cachedInputTokens = 500'000;
    usage.outputTokens = 1'000'000;
    QVERIFY(qFuzzyCompare(*table.cost("gpt-test", usage), 0.5 * 2.0 + 0.5 * 0.5 + 8.0));
    QCOMPARE(PriceTable::fromJson(table.toJson(), "round trip"), table);

    for (const char* bad : {"{\"m\": {\"input\": 1}}", "{\"m\": {\"input\": -1, \"output\": 1}}",
                            "{\"m\": 3}", "[1]"}) {
        try {
            PriceTable::fromJson(nlohmann::json::parse(bad), "prices.json");
            QFAIL(bad);
        } catch (const clade::engine::InputError& e) {
            QVERIFY2(contains(e.what(), "prices.json"), e.what());
        }
    }
}

void TestLlmClient::settingsRoundTripWithoutKey()
{
    LlmSettings settings;
    settings.provider = ProviderKind::Anthropic;
    settings.baseUrl = "http://127.0.0.1:8080";
    settings.model = "claude-test";
    settings.keyEnv = kKeyVar; // set in the environment during this test
    settings.timeoutSeconds = 42.5;
    settings.concurrency = 3;
    settings.maxRetries = 7;
    settings.backoffInitialMs = 250;
    settings.backoffMaxMs = 9000;
    settings.retryAfterMaxSeconds = 60;
    const nlohmann::json json = settings.toJson();
    QCOMPARE(LlmSettings::fromJson(json, "run.json"), settings);
    const std::string text = json.dump();
    QVERIFY(!contains(text, fx::kApiKey));
    QCOMPARE(json.at("key_env"), kKeyVar);
    QCOMPARE(json.at("provider"), "anthropic");

    LlmSettings defaults;
    defaults.model = "gpt-test";
    QCOMPARE(defaults.toJson().at("base_url"),
             "https://api.openai.com/v1"); // where calls go, spelled out
}

void TestLlmClient::settingsRefuseLiteralKeys()
{
    const std::vector<nlohmann::json> bad = {
        {{"provider", "openai"}, {"model", "m"}, {"api_key", fx::kApiKey}},
        {{"provider", "openai"},
         {"model", "m"},
         {"key_env", fx::kApiKey}}, // key pasted as the name
        {{"provider", "gemini"}, {"model", "m"}},
        {{"provider", "openai"}},
        {{"provider", "openai"}, {"model", "m"}, {"concurrency", 0}},
    };
    for (const auto& json : bad) {
        try {
            LlmSettings::fromJson(json, "run.json");
            QFAIL(json.dump().c_str());
        } catch (const clade::engine::InputError& e) {
            QVERIFY2(contains(e.what(), "run.json: field 'llm."), e.what());
            QVERIFY2(!contains(e.what(), fx::kApiKey), e.what());
        }
    }
}

void TestLlmClient::redaction_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    const QString key = fx::kApiKey;
    QTest::newRow("the key") << "key " + key + " and " + key + "!"
                             << "key [REDACTED] and [REDACTED]!";
    QTest::newRow("bearer header") << "Authorization: Bearer abc.DEF-123"
                                   << "Authorization: Bearer [REDACTED]";
    QTest::newRow("bearer alone") << "sent bearer xyz789 twice"
                                  << "sent bearer [REDACTED] twice";
    QTest::newRow("x-api-key header") << "x-api-key: other-key-42"
                                      << "x-api-key: [REDACTED]";
    QTest::newRow("x-api-key in JSON") << "{\"x-api-key\":\"other-key-42\",\"a\":1}"
                                       << "{\"x-api-key\":\"[REDACTED]\",\"a\":1}";
    QTest::newRow("api_key field") << "api_key=abc123&x=1"
                                   << "api_key=[REDACTED]&x=1";
    QTest::newRow("ordinary text") << "HTTP 500: upstream overloaded; x-api-key header missing"
                                   << "HTTP 500: upstream overloaded; x-api-key header missing";
}

void TestLlmClient::redaction()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const Redactor redact({fx::kApiKey});
    QCOMPARE(QString::fromStdString(redact(text.toStdString())), expected);

    // The client's redactor knows the key its variable holds now.
    LlmSettings settings;
    settings.model = "m";
    settings.keyEnv = kKeyVar;
    const LlmClient client(settings);
    QVERIFY(!contains(client.redactor()(std::string("a ") + fx::kApiKey), fx::kApiKey));
}

void TestLlmClient::keyNeverInLogs()
{
    spdlog::default_logger()->flush();
    const std::string log = m_log->str();
    // The tests above logged retries, give-ups and fatal errors whose server bodies quoted the key.
    QVERIFY(contains(log, "retry"));
    QVERIFY(contains(log, "the API key was refused"));
    QVERIFY(contains(log, "Rate limit reached for key [REDACTED]"));
    QVERIFY2(!contains(log, fx::kApiKey), log.c_str());
}

QTEST_GUILESS_MAIN(TestLlmClient)
#include "tst_llmclient.moc"
