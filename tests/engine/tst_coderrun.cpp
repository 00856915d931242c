// examples/coder end to end against a scripted model server, in-process: the agent in the
// sandbox reaches the model only through the gateway, both when it solves tasks (the
// scripted server answers each with its reference solution) and when it improves its own
// scaffold (the scripted change becomes the child). Tokens and cost of every call are
// recorded on the node they were made for; the key is nowhere in the run; the hidden tests
// are not in any node's code.
#include "engine/git/Repository.h"
#include "engine/run/RunCreator.h"
#include "engine/run/RunEngine.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"
#include "support/CoderAnswers.h"
#include "support/FakeLlmSettings.h"
#include "support/LlmFixtures.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace clade::engine;
using namespace testsupport;
namespace fs = std::filesystem;

namespace {

std::string readFile(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// One worker, so the scripted server sees the calls in a fixed order.
RunSettings coderSettings(const FakeLlmServer& server, int iterations)
{
    RunSettings s;
    s.iterations = iterations;
    s.workers = 1;
    s.llm = settingsFor(server, clade::llm::ProviderKind::OpenAi, "scripted-model");
    s.llm->maxRetries = 0;
    s.llm->timeoutSeconds = 300; // the client's default: a solve phase waits on these calls
    return s;
}

} // namespace

class TestCoderRun : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void selfImprovesThroughTheGateway()
    {
        qputenv(kKeyVar, llmfixtures::kApiKey);
        const auto solutions = coder::referenceSolutions(CLADE_SOURCE_DIR);
        QCOMPARE(solutions.size(), size_t(36));
        FakeLlmServer server([&solutions](const FakeHttpRequest& request, int) {
            const std::string prompt = requestText(request);
            if (coder::isProposeRequest(prompt))
                return openAiAnswer(coder::kImprovedSystemPrompt, 3000, 400);
            const auto it = solutions.find(coder::requestedFunction(prompt));
            if (it == solutions.end())
                return FakeHttpResponse{400, R"({"error": {"message": "unexpected prompt"}})", {}, 0, false};
            return openAiAnswer("```python\n" + it->second + "```\n", 1000, 200);
        });

        RunSettings s = coderSettings(server, 1);
        s.prices.set("scripted-model", {2.0, 10.0, 1.0}); // $0.004 a solve call, $0.01 a propose
        QTemporaryDir dir;
        const fs::path run = createRun(fs::path(CLADE_SOURCE_DIR) / "examples" / "coder",
                                       dir.filePath("run").toStdString(), s);
        const RunOutcome outcome = RunEngine(run).run();
        QVERIFY2(outcome.status == RunOutcome::Status::Finished, outcome.message.c_str());

        const auto nodes = RunStore(RunFolder{run}.database()).loadNodes();
        QCOMPARE(nodes.size(), size_t(2));
        // The root solved every task with the scripted answers: one call per task.
        QVERIFY2(nodes[0].status == NodeStatus::Evaluated, nodes[0].error.c_str());
        QCOMPARE(*nodes[0].score, 1.0);
        QCOMPARE(nodes[0].proposer.tokensIn, std::int64_t(36 * 1000));
        QCOMPARE(nodes[0].proposer.tokensOut, std::int64_t(36 * 200));
        QVERIFY(qAbs(nodes[0].proposer.cost - 36 * 0.004) < 1e-9);

        // The child is the agent's own edit of its scaffold, as the scripted answer said.
        const Node& child = nodes[1];
        QVERIFY2(child.status == NodeStatus::Evaluated, child.error.c_str());
        QCOMPARE(child.proposer.kind, std::string("command"));
        auto repo = clade::git::Repository::openBare(RunFolder{run}.repo());
        const auto prompt = repo.readFile(clade::git::Oid::fromHex(child.commit),
                                          "scaffold/prompts/system.md");
        QVERIFY(prompt && prompt->find("(scripted improvement)") != std::string::npos);
        QVERIFY2(child.description.find("edge cases") != std::string::npos, child.description.c_str());
        // Its record holds the propose call and its evaluation's 36 calls.
        QCOMPARE(child.proposer.tokensIn, std::int64_t(3000 + 36 * 1000));
        QVERIFY(qAbs(child.proposer.cost - (0.01 + 36 * 0.004)) < 1e-9);
        const std::string usage = readFile(RunFolder{run}.artifacts(1) / "usage.json");
        QVERIFY2(usage.find("\"propose\"") != std::string::npos &&
                     usage.find("\"evaluate\"") != std::string::npos,
                 usage.c_str());
        QVERIFY(readFile(RunFolder{run}.artifacts(1) / "propose.log").find("model calls through the gateway") !=
                std::string::npos);
        QVERIFY(readFile(RunFolder{run}.artifacts(0) / "gateway.log").find("POST /v1/chat/completions 200") !=
                std::string::npos);
        QCOMPARE(server.requestCount(), 36 + 1 + 36);

        // The key went upstream with every call and nowhere else; no hidden test is in
        // the code candidates see.
        for (const auto& request : server.requests())
            QCOMPARE(request.headers.at("authorization"), std::string("Bearer ") + llmfixtures::kApiKey);
        for (const auto& entry : fs::recursive_directory_iterator(run))
            if (entry.is_regular_file())
                QVERIFY2(readFile(entry.path()).find(llmfixtures::kApiKey) == std::string::npos,
                         entry.path().c_str());
        QVERIFY(!repo.readFile(clade::git::Oid::fromHex(nodes[0].commit),
                               "harness/hidden/c01-reverse-words.json"));
        QVERIFY(repo.readFile(clade::git::Oid::fromHex(nodes[0].commit),
                              "harness/tasks/c01-reverse-words.json"));
        qunsetenv(kKeyVar);
    }

    // A key the provider refuses stops the run: the agent only sees 502s, so the engine
    // must not record what it scored as the node's score.
    void aRefusedKeyStopsTheRun()
    {
        qputenv(kKeyVar, "sk-revoked");
        FakeLlmServer server([](const FakeHttpRequest&, int) {
            return FakeHttpResponse{401, R"({"error": {"message": "Incorrect API key provided"}})", {}, 0, false};
        });
        RunSettings s = coderSettings(server, 3);
        s.llm->maxRetries = 3; // must not be used: a refused key is not retried
        QTemporaryDir dir;
        const fs::path run = createRun(fs::path(CLADE_SOURCE_DIR) / "examples" / "coder",
                                       dir.filePath("run").toStdString(), s);
        const RunOutcome outcome = RunEngine(run).run();
        QVERIFY(outcome.status == RunOutcome::Status::InputError);
        QVERIFY2(outcome.message.find("401") != std::string::npos, outcome.message.c_str());
        const auto nodes = RunStore(RunFolder{run}.database()).loadNodes();
        QCOMPARE(nodes.size(), size_t(1));
        QVERIFY(nodes[0].status == NodeStatus::Proposed); // re-queued for a resume with a good key
        QVERIFY(!nodes[0].score);
        QVERIFY(server.requestCount() <= 6); // one batch's calls at most, none retried
        qunsetenv(kKeyVar);
    }
};

QTEST_GUILESS_MAIN(TestCoderRun)
#include "tst_coderrun.moc"
