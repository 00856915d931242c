// The model gateway (engine/llm/LlmGateway) between a client on its unix socket and a
// scripted provider on loopback (tests/support/FakeLlmServer.h): answers relayed in
// OpenAI's form from both provider APIs, the key added on the way out and never shown to
// the client, the cost budget, errors, and a hostile client (garbage, silence, too many
// connections, oversized requests) that must neither crash the gateway nor hold up its
// destructor. The last test runs a python client inside the real sandbox.
#include "engine/llm/LlmClient.h"
#include "engine/llm/LlmGateway.h"
#include "engine/llm/PriceTable.h"
#include "engine/sandbox/Sandbox.h"
#include "engine/util/ScratchSpace.h"
#include "support/FakeLlmServer.h"
#include "support/FakeLlmSettings.h"
#include "support/GatewayFixtures.h"
#include "support/LlmFixtures.h"
#include "support/UnixHttpClient.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include <sys/stat.h>

using namespace clade::llm;
using namespace testsupport;
namespace fx = testsupport::llmfixtures;
namespace gx = testsupport::gatewayfixtures;
namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::milliseconds;

namespace {

constexpr const char* kChatPath = "/v1/chat/completions";
constexpr double kOpenAiAnswerCost = (200 * 2.0 + 1000 * 0.5 + 300 * 8.0) / 1e6;

LlmSettings gatewaySettings(const FakeLlmServer& server, ProviderKind provider,
                            const std::string& model)
{
    LlmSettings s = settingsFor(server, provider, model);
    s.timeoutSeconds = 20;
    s.concurrency = 16; // the gateway's own connection cap is what the tests measure
    s.maxRetries = 0;
    return s;
}

FakeLlmServer::Handler always(int status, const char* body, int delayMs = 0)
{
    return [=](const FakeHttpRequest&, int) {
        FakeHttpResponse response = answer(status, body);
        response.delayMs = delayMs;
        return response;
    };
}

FakeLlmServer::Handler hanging()
{
    return [](const FakeHttpRequest&, int) {
        FakeHttpResponse response;
        response.hang = true;
        return response;
    };
}

json jsonOf(const UnixHttpReply& reply)
{
    return json::parse(reply.body, nullptr, false);
}

/// error.message, error.type and so on of an error answer; empty when there is none.
std::string errorField(const UnixHttpReply& reply, const char* field)
{
    const json body = jsonOf(reply);
    if (!body.is_object() || !body.contains("error") || !body["error"].is_object())
        return {};
    return body["error"].value(field, std::string());
}

std::string errorMessage(const UnixHttpReply& reply)
{
    return errorField(reply, "message");
}

std::string errorType(const UnixHttpReply& reply)
{
    return errorField(reply, "type");
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

std::string shown(const UnixHttpReply& reply)
{
    return "status " + std::to_string(reply.status) + (reply.closed ? " (closed)" : "") + ": " +
           reply.head + "\n" + reply.body.substr(0, 2000);
}

// A gateway in a fresh folder, in front of one scripted provider.
struct Setup {
    explicit Setup(FakeLlmServer::Handler handler, ProviderKind provider = ProviderKind::OpenAi,
                   const std::string& model = "gpt-test", double limitUsd = 0,
                   double spentBefore = 0, HttpServerLimits limits = {},
                   const std::atomic<bool>* cancel = nullptr)
        : server(std::move(handler)),
          client(gatewaySettings(server, provider, model), fixturePrices()),
          budget(limitUsd, spentBefore),
          gateway(std::make_unique<LlmGateway>(client, budget, folder.path(), cancel, limits))
    {
    }

    std::string socket() const { return gateway->socketPath().string(); }
    UnixHttpReply chat(const std::string& body = gx::kChatBody) const
    {
        return httpExchange(socket(), postRequest(kChatPath, body));
    }

    struct Folder {
        QTemporaryDir dir{QStringLiteral("/tmp/clade-tst-gw-XXXXXX")};
        fs::path path() const { return dir.path().toStdString(); }
    };

    FakeLlmServer server;
    LlmClient client;
    CostBudget budget;
    Folder folder;
    std::unique_ptr<LlmGateway> gateway;
};

// Log lines that record `status` for `path`.
int logLines(const std::string& log, const std::string& path, int status)
{
    int count = 0;
    const std::string needle = " " + path + " " + std::to_string(status) + " ";
    for (std::size_t at = log.find(needle); at != std::string::npos; at = log.find(needle, at + 1))
        ++count;
    return count;
}

} // namespace

class TestLlmGateway : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void relaysAnswer_data();
    void relaysAnswer();
    void listsTheRunsModel();
    void exhaustedBudgetMakesNoCall();
    void callsSpendTheBudget();
    void malformedChat_data();
    void malformedChat();
    void httpErrors_data();
    void httpErrors();
    void oversizedBodyIsRefusedReadably();
    void upstreamErrorIsRedacted();

    void cancelFlagAbortsCallInFlight();
    void destructorReturnsPromptly();
    void silentClientTimesOut();
    void concurrencyCapHolds();
    void waitingClientIsServedWhenASlotFrees();
    void garbageNeverCrashes();

    void socketIsReachableByEveryone();
    void unusableFolderIsNamed();

    void throughTheSandbox();
};

void TestLlmGateway::initTestCase()
{
    qputenv(kKeyVar, fx::kApiKey);
}

void TestLlmGateway::relaysAnswer_data()
{
    QTest::addColumn<int>("provider");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QByteArray>("upstreamAnswer");
    QTest::addColumn<QString>("upstreamPath");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("answeringModel");
    QTest::addColumn<qint64>("prompt");
    QTest::addColumn<qint64>("completion");
    QTest::addColumn<qint64>("cached");
    QTest::addColumn<double>("cost");
    QTest::newRow("openai") << int(ProviderKind::OpenAi) << "gpt-test"
                            << QByteArray(fx::kOpenAiAnswer) << "/v1/chat/completions"
                            << "def solve():\n    return 42\n"
                            << "gpt-test-2024-01-01" << qint64(1200) << qint64(300) << qint64(1000)
                            << kOpenAiAnswerCost;
    // Anthropic counts cache reads and writes beside input_tokens; OpenAI's form has them
    // inside prompt_tokens: 50 + 200 + 10.
    QTest::newRow("anthropic") << int(ProviderKind::Anthropic) << "claude-test"
                               << QByteArray(fx::kAnthropicAnswer) << "/v1/messages"
                               << "First part. Second part."
                               << "claude-test" << qint64(260) << qint64(40) << qint64(200)
                               << (60 * 3.0 + 200 * 0.3 + 40 * 15.0) / 1e6;
}

void TestLlmGateway::relaysAnswer()
{
    QFETCH(int, provider);
    QFETCH(QString, model);
    QFETCH(QByteArray, upstreamAnswer);
    QFETCH(QString, upstreamPath);
    QFETCH(QString, text);
    QFETCH(QString, answeringModel);
    QFETCH(qint64, prompt);
    QFETCH(qint64, completion);
    QFETCH(qint64, cached);
    QFETCH(double, cost);
    Setup s(always(200, upstreamAnswer.constData()), ProviderKind(provider), model.toStdString(),
            1.0);

    const UnixHttpReply reply = httpExchange(
        s.socket(), postRequest(kChatPath, gx::kChatBody,
                                std::string("Authorization: Bearer ") + gx::kForgedKey + "\r\n"));
    QVERIFY2(reply.status == 200, shown(reply).c_str());
    QVERIFY(reply.closed);
    QVERIFY(contains(reply.head, "Connection: close"));
    const json body = jsonOf(reply);
    QCOMPARE(body.value("object", ""), std::string("chat.completion"));
    QVERIFY(!body.value("id", "").empty());
    QVERIFY(body.value("created", 0) > 1600000000);
    QCOMPARE(body.value("model", ""), answeringModel.toStdString());
    const json& choice = body["choices"][0];
    QCOMPARE(choice.value("index", -1), 0);
    QCOMPARE(choice["message"].value("role", ""), std::string("assistant"));
    QCOMPARE(choice["message"].value("content", ""), text.toStdString());
    QCOMPARE(choice.value("finish_reason", ""), std::string("stop")); // end_turn for Anthropic
    const json& usage = body["usage"];
    QCOMPARE(usage.value("prompt_tokens", 0LL), prompt);
    QCOMPARE(usage.value("completion_tokens", 0LL), completion);
    QCOMPARE(usage.value("total_tokens", 0LL), prompt + completion);
    QCOMPARE(usage["prompt_tokens_details"].value("cached_tokens", 0LL), cached);

    // Upstream: the run's model, the key from the environment, the client's text joined;
    // nothing of the client's own credential.
    const auto requests = s.server.requests();
    QCOMPARE(requests.size(), size_t(1));
    const FakeHttpRequest& sent = requests.front();
    QCOMPARE(QString::fromStdString(sent.path), upstreamPath);
    if (ProviderKind(provider) == ProviderKind::OpenAi)
        QCOMPARE(sent.headers.at("authorization"), std::string("Bearer ") + fx::kApiKey);
    else
        QCOMPARE(sent.headers.at("x-api-key"), std::string(fx::kApiKey));
    for (const auto& [name, value] : sent.headers)
        QVERIFY2(!contains(value, gx::kForgedKey), name.c_str());
    QVERIFY(!contains(sent.body, gx::kForgedKey));
    const json upstream = json::parse(sent.body);
    QCOMPARE(upstream.value("model", ""), model.toStdString());
    QCOMPARE(upstream.value("max_tokens", 0), 100);
    QCOMPARE(upstream.value("temperature", 0.0), 0.5);
    QCOMPARE(upstream["messages"].back().value("content", ""), std::string("Write solve()."));
    if (ProviderKind(provider) == ProviderKind::Anthropic)
        QCOMPARE(upstream.value("system", ""), std::string("You are terse."));
    else
        QCOMPARE(upstream["messages"][0].value("content", ""), std::string("You are terse."));

    // Counted against the node and charged to the run.
    const UsageTotals totals = s.gateway->usage();
    QCOMPARE(totals.calls, 1);
    QCOMPARE(totals.inputTokens, prompt);
    QCOMPARE(totals.outputTokens, completion);
    QCOMPARE(totals.cachedInputTokens, cached);
    QVERIFY(!totals.priceMissing);
    QVERIFY(qFuzzyCompare(totals.costUsd, cost));
    QVERIFY(qFuzzyCompare(s.budget.spent(), cost));
    const std::string log = s.gateway->log();
    QCOMPARE(logLines(log, kChatPath, 200), 1);
    QVERIFY2(contains(log, " in=" + std::to_string(prompt) + " out=" + std::to_string(completion)),
             log.c_str());
    QVERIFY(!contains(log, fx::kApiKey));
}

void TestLlmGateway::listsTheRunsModel()
{
    Setup s(always(200, fx::kOpenAiAnswer));
    const UnixHttpReply reply = httpExchange(s.socket(), getRequest("/v1/models"));
    QVERIFY2(reply.status == 200, shown(reply).c_str());
    const json body = jsonOf(reply);
    QCOMPARE(body.value("object", ""), std::string("list"));
    QCOMPARE(body["data"].size(), size_t(1));
    QCOMPARE(body["data"][0].value("id", ""), std::string("gpt-test"));
    QCOMPARE(body["data"][0].value("object", ""), std::string("model"));
    QCOMPARE(s.server.requestCount(), 0);
}

void TestLlmGateway::exhaustedBudgetMakesNoCall()
{
    Setup s(always(200, fx::kOpenAiAnswer), ProviderKind::OpenAi, "gpt-test", 0.001, 0.002);
    const UnixHttpReply reply = s.chat();
    QCOMPARE(reply.status, 402);
    QCOMPARE(errorType(reply), std::string("budget_exhausted"));
    QVERIFY2(contains(errorMessage(reply), "cost budget of $0.00"), reply.body.c_str());
    QCOMPARE(s.server.requestCount(), 0);
    QCOMPARE(s.gateway->usage().calls, 0);
    QCOMPARE(s.budget.spent(), 0.002);
}

void TestLlmGateway::callsSpendTheBudget()
{
    // Room for one call: it starts under the limit and ends past it; the next one is refused.
    Setup s(always(200, fx::kOpenAiAnswer), ProviderKind::OpenAi, "gpt-test", 0.003);
    QCOMPARE(s.chat().status, 200);
    QVERIFY(qFuzzyCompare(s.budget.spent(), kOpenAiAnswerCost));
    const UnixHttpReply second = s.chat();
    QCOMPARE(second.status, 402);
    QCOMPARE(s.server.requestCount(), 1);
    QCOMPARE(s.gateway->usage().calls, 1);
    QCOMPARE(logLines(s.gateway->log(), kChatPath, 402), 1);
}

void TestLlmGateway::malformedChat_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("says");
    for (const auto& c : gx::kMalformedChats)
        QTest::newRow(c.name) << QByteArray(c.body) << QString(c.says);
    QTest::newRow("nested") << QByteArray(std::string(100, '[').c_str()) << "nested deeper";
    std::string many = R"({"messages": [{"role": "user", "content": "x"}], "pad": [)";
    for (int i = 0; i < 300000; ++i)
        many += "0,";
    many += "0]}";
    QTest::newRow("many values") << QByteArray::fromStdString(many) << "more than";
}

void TestLlmGateway::malformedChat()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, says);
    Setup s(always(200, fx::kOpenAiAnswer));
    const UnixHttpReply reply = s.chat(body.toStdString());
    QVERIFY2(reply.status == 400, shown(reply).c_str());
    QCOMPARE(errorType(reply), std::string("invalid_request_error"));
    QVERIFY2(contains(errorMessage(reply), says.toStdString()), reply.body.c_str());
    QCOMPARE(s.server.requestCount(), 0);
}

void TestLlmGateway::httpErrors_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("says");
    const auto row = [](const char* name, const std::string& request, int status,
                        const char* says) {
        QTest::newRow(name) << QByteArray::fromStdString(request) << status << QString(says);
    };
    row("unknown path", getRequest("/v1/completions"), 404, "no such path: /v1/completions");
    row("query ignored", getRequest("/v1/models?x=1"), 200, "");
    row("absolute form", getRequest("http://localhost/v1/models"), 200, "");
    row("get chat", getRequest(kChatPath), 405, "use POST");
    row("post models", postRequest("/v1/models", "{}"), 405, "use GET");
    row("no length", "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n\r\n", 411,
        "Content-Length is required");
    row("chunked",
        "POST /v1/chat/completions HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n0\r\n\r\n",
        411, "chunked");
    row("two lengths",
        "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        400, "two different Content-Length");
    row("length not a number", "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: -1\r\n\r\n{}",
        400, "not a number");
    row("body too large", "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 8388609\r\n\r\n",
        413, "at most 8388608");
    row("head too large",
        "GET /v1/models HTTP/1.1\r\nX-Pad: " + std::string(20000, 'a') + "\r\n\r\n", 431,
        "over 16384 bytes");
    row("tls hello", std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15), 400,
        "request line");
    row("http2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, "HTTP/1.1");
    row("folded header", "GET /v1/models HTTP/1.1\r\nX-A: 1\r\n  continued\r\n\r\n", 400, "folded");
    row("bare LF", "GET /v1/models HTTP/1.1\nHost: x\n\n", 200, "");
}

void TestLlmGateway::httpErrors()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QString, says);
    Setup s(always(200, fx::kOpenAiAnswer));
    const UnixHttpReply reply = httpExchange(s.socket(), request.toStdString());
    QVERIFY2(reply.status == status, shown(reply).c_str());
    QVERIFY(reply.closed);
    if (status != 200) {
        QVERIFY2(contains(errorMessage(reply), says.toStdString()), reply.body.c_str());
        QVERIFY(!errorType(reply).empty());
    }
    if (status == 405)
        QVERIFY2(contains(reply.head, "\r\nAllow: "), reply.head.c_str());
    QCOMPARE(s.server.requestCount(), 0);
    QCOMPARE(s.gateway->usage().calls, 0);
}

void TestLlmGateway::oversizedBodyIsRefusedReadably()
{
    // The client writes all of its 9 MiB before it reads, as Python's http.client does: the
    // gateway refuses after the head and drops the rest, so the client's writes succeed and
    // it reads a 413 instead of failing on a broken pipe.
    Setup s(always(200, fx::kOpenAiAnswer));
    const int fd = connectUnix(s.socket());
    QVERIFY(fd >= 0);
    const bool sentAll = sendAll(fd, postRequest(kChatPath, std::string(9 << 20, 'x')));
    const UnixHttpReply reply = readReply(fd, milliseconds(10000));
    ::close(fd);
    QVERIFY(sentAll);
    QVERIFY2(reply.status == 413, shown(reply).c_str());
    QCOMPARE(s.server.requestCount(), 0);
}

void TestLlmGateway::upstreamErrorIsRedacted()
{
    // The provider refuses the key and echoes it in its message, as OpenAI does.
    Setup s(always(401, fx::kUnauthorizedEchoingKey));
    const UnixHttpReply reply = s.chat();
    QVERIFY2(reply.status == 502, shown(reply).c_str());
    QCOMPARE(errorType(reply), std::string("upstream_error"));
    QVERIFY2(contains(errorMessage(reply), "HTTP 401"), reply.body.c_str());
    QVERIFY2(!contains(reply.head + reply.body, fx::kApiKey), reply.body.c_str());
    const std::string log = s.gateway->log();
    QCOMPARE(logLines(log, kChatPath, 502), 1);
    QVERIFY2(!contains(log, fx::kApiKey), log.c_str());
    QVERIFY(contains(log, "[REDACTED]"));
    QCOMPARE(s.gateway->usage().calls, 0);
    QCOMPARE(s.budget.spent(), 0.0);
}

void TestLlmGateway::cancelFlagAbortsCallInFlight()
{
    std::atomic<bool> cancel{false};
    Setup s(hanging(), ProviderKind::OpenAi, "gpt-test", 0, 0, {}, &cancel);
    UnixHttpReply reply;
    std::jthread client([&] { reply = s.chat(); }); // joined also when a check fails
    QTRY_COMPARE_WITH_TIMEOUT(s.server.requestCount(), 1, 10000);
    QElapsedTimer clock;
    clock.start();
    cancel = true;
    client.join();
    qInfo("answered %lld ms after the cancel flag turned", clock.elapsed());
    QVERIFY2(reply.status == 503, shown(reply).c_str());
    // Only tells a working cancel from a hang; loose for a loaded machine under ASan.
    QVERIFY(clock.elapsed() < 10000);
    // Later calls are refused without reaching the provider.
    QCOMPARE(s.chat().status, 503);
    QCOMPARE(s.server.requestCount(), 1);
}

void TestLlmGateway::destructorReturnsPromptly()
{
    Setup s(hanging());
    const std::string socket = s.socket();
    // One connected and silent, one halfway through its head, one waiting on the model, one
    // that sent a request and never reads (its answer cannot be delivered).
    const int silent = connectUnix(socket);
    const int partial = connectUnix(socket);
    QVERIFY(silent >= 0 && partial >= 0);
    sendAll(partial, "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 100\r\n");
    UnixHttpReply waiting;
    std::jthread client([&] { waiting = s.chat(); }); // joined also when a check fails
    QTRY_COMPARE_WITH_TIMEOUT(s.server.requestCount(), 1, 10000);

    QElapsedTimer clock;
    clock.start();
    s.gateway.reset();
    const qint64 elapsed = clock.elapsed();
    client.join();
    qInfo("destructor took %lld ms", elapsed);
    QVERIFY(elapsed < 10000); // does not wait on its idle peers; loose for a loaded machine
    QVERIFY(waiting.status == 503 || waiting.status == 0); // answered, or just closed
    QVERIFY(!fs::exists(socket));
    // The silent clients see their connections closed.
    QVERIFY(readReply(silent, milliseconds(2000)).closed);
    QVERIFY(readReply(partial, milliseconds(2000)).closed);
    ::close(silent);
    ::close(partial);
}

void TestLlmGateway::silentClientTimesOut()
{
    HttpServerLimits limits;
    limits.idleTimeout = milliseconds(300);
    Setup s(always(200, fx::kOpenAiAnswer), ProviderKind::OpenAi, "gpt-test", 0, 0, limits);
    QElapsedTimer clock;
    clock.start();
    // Sent half a head and stopped: answered 408, then closed.
    const UnixHttpReply partial = httpExchange(
        s.socket(), "POST /v1/chat/completions HTTP/1.1\r\nContent-Le", milliseconds(5000));
    const qint64 elapsed = clock.elapsed();
    QVERIFY2(partial.status == 408, shown(partial).c_str());
    QVERIFY(partial.closed);
    // Never before the idle timeout; the 408 itself shows it came before the 5 s read gave up.
    QVERIFY2(elapsed >= 250, std::to_string(elapsed).c_str());
    // Sent nothing at all: closed without an answer, and not logged as a request.
    const UnixHttpReply silent = httpExchange(s.socket(), "", milliseconds(5000));
    QVERIFY(silent.closed);
    QCOMPARE(silent.status, 0);
    // Progress resets the clock: a slow but steady client gets through.
    const int slow = connectUnix(s.socket());
    const std::string request = getRequest("/v1/models");
    for (std::size_t i = 0; i < request.size(); i += 8) {
        sendAll(slow, request.substr(i, 8));
        std::this_thread::sleep_for(milliseconds(100)); // the point is to send slowly
    }
    QCOMPARE(readReply(slow, milliseconds(5000)).status, 200);
    ::close(slow);
    const std::string log = s.gateway->log();
    QCOMPARE(std::count(log.begin(), log.end(), '\n'), 2L);
}

void TestLlmGateway::concurrencyCapHolds()
{
    HttpServerLimits limits;
    limits.maxConnections = 3;
    Setup s(always(200, fx::kOpenAiAnswer, 150), ProviderKind::OpenAi, "gpt-test", 0, 0, limits);
    constexpr int kClients = 9;
    std::vector<UnixHttpReply> replies(kClients);
    std::vector<std::thread> clients;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < kClients; ++i)
        clients.emplace_back([&, i] { replies[i] = s.chat(gx::kSmallChatBody); });
    for (auto& client : clients)
        client.join();
    qInfo("%d calls through 3 connections in %lld ms, %d at once upstream", kClients,
          clock.elapsed(), s.server.maxInFlight());
    for (const auto& reply : replies)
        QVERIFY2(reply.status == 200, shown(reply).c_str()); // the extra ones waited
    QCOMPARE(s.server.requestCount(), kClients);
    QVERIFY2(s.server.maxInFlight() <= 3, std::to_string(s.server.maxInFlight()).c_str());
    QCOMPARE(s.gateway->usage().calls, kClients);
    QVERIFY(qFuzzyCompare(s.budget.spent(), kClients * kOpenAiAnswerCost));
}

void TestLlmGateway::waitingClientIsServedWhenASlotFrees()
{
    HttpServerLimits limits;
    limits.maxConnections = 2;
    Setup s(always(200, fx::kOpenAiAnswer), ProviderKind::OpenAi, "gpt-test", 0, 0, limits);
    const int idle1 = connectUnix(s.socket());
    const int idle2 = connectUnix(s.socket());
    QVERIFY(idle1 >= 0 && idle2 >= 0);
    // The third connects (into the listen queue) but is not served while both slots are held.
    const int third = connectUnix(s.socket());
    QVERIFY(third >= 0);
    sendAll(third, getRequest("/v1/models"));
    pollfd entry{third, POLLIN, 0};
    QCOMPARE(::poll(&entry, 1, 300), 0);
    ::close(idle1);
    QCOMPARE(readReply(third, milliseconds(5000)).status, 200); // served once a slot freed
    ::close(third);
    ::close(idle2);
}

void TestLlmGateway::garbageNeverCrashes()
{
    Setup s(always(200, fx::kOpenAiAnswer));
    std::mt19937 random(7);
    const std::vector<std::string> prefixes = {"", "POST /v1/chat/completions HTTP/1.1\r\n",
                                               "GET /v1/models HTTP/1.1\r\n",
                                               postRequest(kChatPath, "") + "\r\n"};
    int answered = 0;
    for (int i = 0; i < 300; ++i) {
        std::string bytes = prefixes[random() % prefixes.size()];
        const std::size_t length = random() % 3000;
        for (std::size_t j = 0; j < length; ++j) {
            // Mostly bytes that matter to the parser, so the garbage gets past the first line.
            static constexpr char kInteresting[] = "\r\n:{}[]\" 0123456789ContentLgh-";
            bytes += random() % 2 ? kInteresting[random() % (sizeof kInteresting - 1)]
                                  : static_cast<char>(random() % 256);
        }
        // Half-closed after sending: an incomplete request ends now, not at the idle timeout.
        const UnixHttpReply reply = httpExchange(s.socket(), bytes, milliseconds(5000), true);
        QVERIFY2(reply.closed, std::to_string(i).c_str());
        answered += reply.status != 0;
    }
    qInfo("%d of 300 garbage requests answered with a status", answered);
    QCOMPARE(answered, 300);
    QCOMPARE(s.chat().status, 200);
}

void TestLlmGateway::socketIsReachableByEveryone()
{
    QTemporaryDir dir(QStringLiteral("/tmp/clade-tst-gw-XXXXXX"));
    const fs::path folder = dir.path().toStdString();
    FakeLlmServer server(always(200, fx::kOpenAiAnswer));
    LlmClient client(gatewaySettings(server, ProviderKind::OpenAi, "gpt-test"));
    CostBudget budget;
    {
        // A socket left by a gateway that died is replaced.
        const int stale = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strcpy(address.sun_path, (folder / LlmGateway::kSocketName).c_str());
        QCOMPARE(::bind(stale, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
        ::close(stale);
    }
    LlmGateway gateway(client, budget, folder);
    QCOMPARE(gateway.socketPath(), folder / "llm.sock");
    struct stat info {};
    QCOMPARE(::stat(gateway.socketPath().c_str(), &info), 0);
    QVERIFY(S_ISSOCK(info.st_mode));
    QCOMPARE(info.st_mode & 07777, 0666u);
    QCOMPARE(::stat(folder.c_str(), &info), 0);
    QCOMPARE(info.st_mode & 07777, 0755u);
    QCOMPARE(httpExchange(gateway.socketPath(), getRequest("/v1/models")).status, 200);
    QCOMPARE(std::string(LlmGateway::kInsideSocket),
             std::string(LlmGateway::kInsideFolder) + "/" + LlmGateway::kSocketName);
}

void TestLlmGateway::unusableFolderIsNamed()
{
    FakeLlmServer server(always(200, fx::kOpenAiAnswer));
    LlmClient client(gatewaySettings(server, ProviderKind::OpenAi, "gpt-test"));
    CostBudget budget;
    QTemporaryDir dir(QStringLiteral("/tmp/clade-tst-gw-XXXXXX"));
    const fs::path deep = fs::path(dir.path().toStdString()) / std::string(100, 'd');
    fs::create_directory(deep);
    try {
        LlmGateway gateway(client, budget, deep);
        QFAIL("a socket path over 107 bytes was accepted");
    } catch (const std::runtime_error& e) {
        QVERIFY2(contains(e.what(), (deep / "llm.sock").string()), e.what());
        QVERIFY2(contains(e.what(), "at most 107 bytes"), e.what());
    }
    const fs::path missing = fs::path(dir.path().toStdString()) / "missing";
    try {
        LlmGateway gateway(client, budget, missing);
        QFAIL("a missing folder was accepted");
    } catch (const std::runtime_error& e) {
        QVERIFY2(contains(e.what(), missing.string() + " is not a folder"), e.what());
    }
}

void TestLlmGateway::throughTheSandbox()
{
    if (::access("/usr/bin/bwrap", X_OK) != 0)
        QSKIP("bubblewrap is not installed");
    using namespace clade::engine;
    FakeLlmServer server(always(200, fx::kOpenAiAnswer));
    LlmClient client(gatewaySettings(server, ProviderKind::OpenAi, "gpt-test"), fixturePrices());
    CostBudget budget;
    // As the engine will: a scratch folder (a small tmpfs as root), mounted read-only.
    ScratchSpace scratch(sandboxUid(), sandboxGid());
    const fs::path folder = scratch.makeFolder("llm", false, {1, 64});
    LlmGateway gateway(client, budget, folder);

    SandboxSpec spec;
    spec.argv = {"/usr/bin/python3", "-c", gx::kSandboxClient, std::to_string(server.port())};
    spec.mounts = {{folder, LlmGateway::kInsideFolder, false}};
    spec.env = {{LlmGateway::kSocketEnv, LlmGateway::kInsideSocket}};
    spec.limits.wallSeconds = 60;
    QElapsedTimer clock;
    clock.start();
    const SandboxResult r = makeSandbox("bwrap")->run(spec);
    qInfo("sandboxed client ran %lld ms", clock.elapsed());
    const std::string out = r.stdoutText + r.stderrText;
    QVERIFY2(r.succeeded(), (r.describe() + "\n" + out).c_str());
    QVERIFY2(contains(out, "status 200\n"), out.c_str());
    QVERIFY2(contains(out, "answer \"def solve():\\n    return 42\\n\"\n"), out.c_str());
    QVERIFY2(contains(out, "tokens 1200 300\n"), out.c_str());
    QVERIFY2(contains(out, "\ntcp blocked"), out.c_str());
    // Connecting needs no write access to the mount: it stays read-only.
    QVERIFY2(contains(out, "mount /run/clade ro\n"), out.c_str());
    QVERIFY2(contains(out, "folder not writable"), out.c_str());
    QVERIFY2(contains(out, "('CLADE_LLM_SOCKET', '/run/clade/llm.sock')"), out.c_str());
    QVERIFY2(contains(out, "/proc/1/environ b'"), out.c_str()); // the probe did read one
    QVERIFY2(!contains(out, fx::kApiKey), out.c_str());
    QVERIFY2(!contains(out, kKeyVar), out.c_str());

    QCOMPARE(server.requestCount(), 1); // the gateway's call, and nothing direct
    QCOMPARE(server.requests().front().headers.at("authorization"),
             std::string("Bearer ") + fx::kApiKey);
    QCOMPARE(gateway.usage().calls, 1);
    QVERIFY(qFuzzyCompare(budget.spent(), kOpenAiAnswerCost));
    QCOMPARE(logLines(gateway.log(), kChatPath, 200), 1);
}

QTEST_GUILESS_MAIN(TestLlmGateway)
#include "tst_llmgateway.moc"
