// `clade run --proposer llm` as a user types it, against a scripted model server on
// loopback: the --llm-* options and an --llm-config file with prices reach the engine,
// children come from the scripted answers, tokens and cost show in `clade export`, and
// the key is in no output and no file of the run.
#include "support/CoderAnswers.h"
#include "support/LlmFixtures.h"
#include "support/LlmRunAnswers.h"
#include "support/ScriptedModel.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace testsupport;

namespace {

constexpr const char* kKeyVariable = "CLADE_CLI_TEST_KEY";

struct Result {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Result clade(const QStringList& args)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(kKeyVariable, llmfixtures::kApiKey);
    env.remove("DISPLAY");
    env.remove("WAYLAND_DISPLAY");
    process.setProcessEnvironment(env);
    process.start(CLADE_BINARY, args);
    process.closeWriteChannel();
    if (!process.waitForFinished(300000))
        process.kill();
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

} // namespace

class TestCliLlm : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void runWithTheLlmProposer()
    {
        FakeLlmServer server([](const FakeHttpRequest&, int index) {
            return openAiAnswer(index == 0 ? llmrun::kSearchReplace : llmrun::kWholeFile, 1000, 200);
        });
        QTemporaryDir dir;
        const QString config = dir.filePath("llm.json");
        {
            QFile file(config);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(R"({"llm": {"provider": "openai", "model": "overridden", "max_retries": 0},
                           "prices": {"scripted-model": {"input": 2, "output": 10}}})");
        }
        const QString run = dir.filePath("run");
        const Result result = clade({"run", QString(CLADE_SOURCE_DIR) + "/examples/binpack",
                                     "--proposer", "llm", "--llm-config", config,
                                     "--llm-base-url", QString::fromStdString(server.url("/v1")),
                                     "--llm-model", "scripted-model", "--llm-key-env", kKeyVariable,
                                     "--iterations", "2", "--workers", "1", "--headless", "--out", run});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QCOMPARE(server.requestCount(), 2);
        QVERIFY(!result.out.contains(llmfixtures::kApiKey));
        QVERIFY(!result.err.contains(llmfixtures::kApiKey));

        const Result exported = clade({"export", run, "--format", "json"});
        QCOMPARE(exported.exitCode, 0);
        const QJsonArray nodes = QJsonDocument::fromJson(exported.out).object()["nodes"].toArray();
        QCOMPARE(nodes.size(), 3);
        for (int id = 1; id <= 2; ++id) {
            const QJsonObject proposer = nodes[id].toObject()["proposer"].toObject();
            QCOMPARE(proposer["kind"].toString(), QString("llm"));
            QCOMPARE(proposer["tokens_in"].toInt(), 1000);
            QCOMPARE(proposer["tokens_out"].toInt(), 200);
            QCOMPARE(proposer["cost"].toDouble(), 0.004);
        }
        QCOMPARE(nodes[1].toObject()["description"].toString(),
                 QString("Best fit: prefer the bin the item fills most."));

        // run.json names the variable, never the key.
        QFile runJson(run + "/run.json");
        QVERIFY(runJson.open(QIODevice::ReadOnly));
        const QJsonObject llm = QJsonDocument::fromJson(runJson.readAll()).object()["llm"].toObject();
        QCOMPARE(llm["key_env"].toString(), QString(kKeyVariable));
        QCOMPARE(llm["model"].toString(), QString("scripted-model"));
        QDirIterator files(run, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile file(files.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains(llmfixtures::kApiKey), qPrintable(file.fileName()));
        }
    }

    // The bundled self-improving agent, by name, through the gateway: the root solves the
    // tasks with the scripted solutions, the child is the agent's own scripted edit.
    void runTheCoderExample()
    {
        const auto solutions = coder::referenceSolutions(CLADE_SOURCE_DIR);
        FakeLlmServer server([&solutions](const FakeHttpRequest& request, int) {
            const std::string prompt = requestText(request);
            if (coder::isProposeRequest(prompt))
                return openAiAnswer(coder::kImprovedSystemPrompt, 3000, 400);
            const auto it = solutions.find(coder::requestedFunction(prompt));
            return it == solutions.end() ? openAiAnswer("no idea")
                                         : openAiAnswer("```python\n" + it->second + "```\n");
        });
        QTemporaryDir dir;
        const QString run = dir.filePath("run");
        const Result result = clade({"run", "coder", "--llm-provider", "openai", "--llm-base-url",
                                     QString::fromStdString(server.url("/v1")), "--llm-model",
                                     "scripted-model", "--llm-key-env", kKeyVariable,
                                     "--iterations", "1", "--workers", "1", "--headless", "--out", run});
        QVERIFY2(result.exitCode == 0, result.err.constData());
        QCOMPARE(server.requestCount(), 36 + 1 + 36);
        const Result exported = clade({"export", run, "--format", "json"});
        const QJsonArray nodes = QJsonDocument::fromJson(exported.out).object()["nodes"].toArray();
        QCOMPARE(nodes.size(), 2);
        QCOMPARE(nodes[0].toObject()["score"].toDouble(), 1.0);
        const QJsonObject child = nodes[1].toObject();
        QCOMPARE(child["status"].toString(), QString("evaluated"));
        QVERIFY(child["description"].toString().contains("edge cases"));
        QCOMPARE(child["proposer"].toObject()["tokens_in"].toInt(), 3000 + 36 * 1000);
        QVERIFY(!result.out.contains(llmfixtures::kApiKey) && !result.err.contains(llmfixtures::kApiKey));
    }

    void aKeyWhereItsNameBelongsIsRefused()
    {
        QTemporaryDir dir;
        const Result result = clade({"run", "binpack", "--proposer", "llm", "--llm-model", "m",
                                     "--llm-key-env", llmfixtures::kApiKey, "--headless", "--out",
                                     dir.filePath("run")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("key_env"), result.err.constData());
        QVERIFY(!result.err.contains(llmfixtures::kApiKey));
        QVERIFY(!QFileInfo::exists(dir.filePath("run")));
    }
};

QTEST_GUILESS_MAIN(TestCliLlm)
#include "tst_cli_llm.moc"
