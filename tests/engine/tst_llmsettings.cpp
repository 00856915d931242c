// The base URL of a run's model, as people type it: the forms servers really use are
// taken as given; the mistakes (an empty or impossible port, no scheme, a space, the
// endpoint's own path) are refused with a message naming the field and what was expected,
// instead of reaching port 80 or a doubled path when the first call is made.
#include "engine/llm/LlmSettings.h"
#include "engine/util/InputError.h"

#include <QtTest>

#include <nlohmann/json.hpp>

using namespace clade::llm;

namespace {

nlohmann::json withBaseUrl(const QString& url)
{
    return {{"provider", "openai"}, {"model", "m"}, {"base_url", url.toStdString()}};
}

} // namespace

class TestLlmSettings : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void acceptedBaseUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("none: the provider's") << "";
        QTest::newRow("llama.cpp") << "http://127.0.0.1:8080/v1";
        QTest::newRow("Ollama") << "http://localhost:11434/v1";
        QTest::newRow("OpenAI") << "https://api.openai.com/v1";
        QTest::newRow("Anthropic, trailing slash") << "https://api.anthropic.com/";
        QTest::newRow("IPv6 loopback") << "http://[::1]:8080/v1";
        QTest::newRow("no path, default port") << "http://gpu-box";
        QTest::newRow("upper-case scheme") << "HTTPS://api.openai.com/v1";
        QTest::newRow("proxy credentials") << "http://user:secret@127.0.0.1:3128/v1";
        QTest::newRow("highest port") << "http://127.0.0.1:65535/v1";
    }
    void acceptedBaseUrls()
    {
        QFETCH(QString, url);
        const LlmSettings settings = LlmSettings::fromJson(withBaseUrl(url), "run.json");
        QCOMPARE(QString::fromStdString(settings.baseUrl), url);
    }

    void refusedBaseUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected"); // after "field 'llm.base_url': expected "
        QTest::newRow("empty port (issue 17)")
            << "http://127.0.0.1:/v1"
            << "a port number after ':' (or no ':' for the scheme's default port), "
               "got 'http://127.0.0.1:/v1'";
        QTest::newRow("port out of range")
            << "http://127.0.0.1:80800/v1"
            << "a port number from 1 to 65535 after ':', got 'http://127.0.0.1:80800/v1'";
        QTest::newRow("port 0") << "http://127.0.0.1:0/v1"
                                << "a port number from 1 to 65535 after ':'";
        QTest::newRow("port not a number") << "http://localhost:llama/v1"
                                           << "a port number from 1 to 65535 after ':'";
        QTest::newRow("slash missing after the port") << "http://localhost:8080v1"
                                                      << "a port number from 1 to 65535 after ':'";
        QTest::newRow("no scheme")
            << "127.0.0.1:8080/v1"
            << "a URL that starts with http:// or https://, like http://127.0.0.1:8080/v1, "
               "got '127.0.0.1:8080/v1'";
        QTest::newRow("no scheme, host name first") << "localhost:8080/v1"
                                                    << "a URL that starts with http:// or https://";
        QTest::newRow("scheme without slashes") << "http:localhost:8080/v1"
                                                << "a URL that starts with http:// or https://";
        QTest::newRow("another scheme")
            << "ftp://127.0.0.1:8080/v1"
            << "http:// or https:// at the start, got 'ftp://127.0.0.1:8080/v1'";
        QTest::newRow("websocket") << "ws://127.0.0.1:8080/v1"
                                   << "http:// or https:// at the start";
        QTest::newRow("leading space") << " http://127.0.0.1:8080/v1"
                                       << "a URL without spaces or line breaks";
        QTest::newRow("trailing newline") << "http://127.0.0.1:8080/v1\n"
                                          << "a URL without spaces or line breaks";
        QTest::newRow("space inside") << "http://127.0.0.1:8080 /v1"
                                      << "a URL without spaces or line breaks";
        QTest::newRow("no host") << "http:///v1"
                                 << "a host name or address after '://'";
        QTest::newRow("IPv6 without brackets")
            << "http://::1:8080/v1"
            << "(an IPv6 address in brackets, like http://[::1]:8080/v1)";
        QTest::newRow("IPv6 bracket not closed") << "http://[::1:8080/v1"
                                                 << "a valid URL";
        QTest::newRow("invalid host") << "http://local!host:8080/v1"
                                      << "a valid URL, got 'http://local!host:8080/v1' (invalid "
                                         "hostname";
        QTest::newRow("whole endpoint pasted")
            << "http://127.0.0.1:8080/v1/chat/completions"
            << "the URL before /chat/completions (the client adds that path)";
        QTest::newRow("Anthropic endpoint pasted") << "https://api.anthropic.com/v1/messages/"
                                                   << "the URL before /v1/messages";
        QTest::newRow("query") << "http://127.0.0.1:8080/v1?key=x"
                               << "a URL without '?' or '#'";
        QTest::newRow("password not echoed") << "http://user:secret@127.0.0.1:/v1"
                                             << "got 'http://127.0.0.1:/v1'";
    }
    void refusedBaseUrls()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        try {
            const LlmSettings settings = LlmSettings::fromJson(withBaseUrl(url), "run.json");
            QFAIL(qPrintable("accepted; calls would go to " +
                             QString::fromStdString(settings.effectiveBaseUrl())));
        } catch (const clade::engine::InputError& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.startsWith("run.json: field 'llm.base_url': expected "),
                     qPrintable(message));
            QVERIFY2(message.contains(expected), qPrintable(message));
            QVERIFY2(!message.contains("secret"), qPrintable(message));
        }
    }
};

QTEST_GUILESS_MAIN(TestLlmSettings)
#include "tst_llmsettings.moc"
