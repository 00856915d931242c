// The llm proposer end to end, in-process, against a scripted model server on loopback:
// a run of the bundled example whose children come from the scripted answers in every
// edit format, an answer that does not apply (retried with the reason, then a failed
// node that keeps it), tokens and cost recorded per node, the cost budget ending the run,
// a bad key stopping it, and the key nowhere in the run folder.
#include "engine/git/Repository.h"
#include "engine/run/RunCreator.h"
#include "engine/run/RunEngine.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"
#include "engine/util/InputError.h"
#include "support/FakeLlmSettings.h"
#include "support/LlmFixtures.h"
#include "support/LlmRunAnswers.h"
#include "support/ScriptedModel.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <sstream>

using namespace clade::engine;
using namespace testsupport;
namespace fs = std::filesystem;

namespace {

fs::path example()
{
    return fs::path(CLADE_SOURCE_DIR) / "examples" / "binpack";
}

RunSettings llmSettings(const FakeLlmServer& server, clade::llm::ProviderKind provider, int iterations)
{
    RunSettings s;
    s.proposer = "llm";
    s.iterations = iterations;
    s.workers = 1;
    s.seed = 1;
    s.llm = settingsFor(server, provider, "scripted-model");
    s.llm->maxRetries = 0;
    s.llm->timeoutSeconds = 20;
    // 1000 tokens in at $2/M and 200 out at $10/M: $0.004 a call.
    s.prices.set("scripted-model", {2.0, 10.0, 1.0});
    return s;
}

std::string readFile(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// The heuristic.py the prompt showed, as the proposer quotes it.
std::string shownHeuristic(const std::string& prompt)
{
    const std::string open = "heuristic.py\n```python\n";
    const auto start = prompt.find(open);
    if (start == std::string::npos)
        return {};
    const auto end = prompt.find("```", start + open.size());
    return prompt.substr(start + open.size(), end - start - open.size());
}

/// A unified diff that appends `line` to the file the prompt showed, after `prose`.
std::string appendLineDiff(const std::string& prompt, const std::string& line,
                           const std::string& prose = "Add a marker line.\n\n")
{
    std::vector<std::string> lines;
    std::istringstream in(shownHeuristic(prompt));
    for (std::string l; std::getline(in, l);)
        lines.push_back(l);
    const size_t context = std::min<size_t>(3, lines.size());
    const size_t first = lines.size() - context + 1;
    std::string diff = prose + "--- a/heuristic.py\n+++ b/heuristic.py\n@@ -" +
                       std::to_string(first) + "," + std::to_string(context) + " +" +
                       std::to_string(first) + "," + std::to_string(context + 1) + " @@\n";
    for (size_t i = lines.size() - context; i < lines.size(); ++i)
        diff += " " + lines[i] + "\n";
    return diff + "+" + line + "\n";
}

std::string heuristicOf(const fs::path& run, const Node& node)
{
    auto repo = clade::git::Repository::openBare(RunFolder{run}.repo());
    return repo.readFile(clade::git::Oid::fromHex(node.commit), "heuristic.py").value_or("");
}

/// Every file under `folder` whose bytes contain `secret`.
std::vector<std::string> filesHolding(const fs::path& folder, const std::string& secret)
{
    std::vector<std::string> found;
    for (const auto& entry : fs::recursive_directory_iterator(folder))
        if (entry.is_regular_file() && readFile(entry.path()).find(secret) != std::string::npos)
            found.push_back(entry.path().string());
    return found;
}

} // namespace

class TestLlmRun : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { qputenv(kKeyVar, llmfixtures::kApiKey); }
    void cleanup() { qunsetenv(kKeyVar); }

    void proposesFromScriptedAnswersInEveryFormat()
    {
        FakeLlmServer server([](const FakeHttpRequest& request, int index) {
            const std::string prompt = requestText(request);
            switch (index) {
            case 0:
                return openAiAnswer(llmrun::kSearchReplace);
            case 1: // a server that echoes the key: the artifacts must not keep it
                return openAiAnswer(std::string(llmrun::kWholeFile) + "\nkey seen: " +
                                    llmfixtures::kApiKey + "\n");
            case 2: // edits alone: the node is named by its diff
                return openAiAnswer(appendLineDiff(prompt, "# appended by a unified diff", ""));
            case 4: // the retry of answer 3, which did not apply
                return openAiAnswer(appendLineDiff(prompt, "# applied on the second try"));
            default: // 3, and both answers for the last child
                return openAiAnswer(llmrun::kDoesNotApply);
            }
        });
        QTemporaryDir dir;
        const fs::path run = createRun(example(), dir.filePath("run").toStdString(),
                                       llmSettings(server, clade::llm::ProviderKind::OpenAi, 5));
        QVERIFY(fs::is_regular_file(RunFolder{run}.prompts() / "user.md"));
        RunEngine engine(run);
        const RunOutcome outcome = engine.run();
        QVERIFY2(outcome.status == RunOutcome::Status::Finished, outcome.message.c_str());

        const auto nodes = RunStore(RunFolder{run}.database()).loadNodes();
        QCOMPARE(nodes.size(), size_t(6));
        QCOMPARE(server.requestCount(), 7);
        for (int id = 1; id <= 4; ++id) {
            QVERIFY2(nodes[id].status == NodeStatus::Evaluated, nodes[id].error.c_str());
            QCOMPARE(nodes[id].proposer.kind, std::string("llm"));
            QCOMPARE(nodes[id].proposer.model, std::string("scripted-model"));
        }
        QVERIFY(heuristicOf(run, nodes[1]).find("score = -(remaining - item)") != std::string::npos);
        QVERIFY(heuristicOf(run, nodes[2]).find("# whole-file answer") != std::string::npos);
        QVERIFY(heuristicOf(run, nodes[3]).find("# appended by a unified diff") != std::string::npos);
        QVERIFY(heuristicOf(run, nodes[4]).find("# applied on the second try") != std::string::npos);
        QCOMPARE(nodes[1].description, std::string("Best fit: prefer the bin the item fills most."));
        QCOMPARE(nodes[2].description, std::string("Best fit with a tie-break on the older bin."));
        QCOMPARE(nodes[3].description, std::string("edit heuristic.py (+1 -0)"));
        QCOMPARE(nodes[4].description, std::string("Add a marker line."));
        {
            auto repo = clade::git::Repository::openBare(RunFolder{run}.repo());
            const auto message = repo.messageOf(clade::git::Oid::fromHex(nodes[3].commit));
            QVERIFY2(message.starts_with("edit heuristic.py (+1 -0)\n"), message.c_str());
        }
        // Best fit beats the root's first fit on binpack.
        QVERIFY(*nodes[1].score > *nodes[0].score);

        // Usage: one call per child, two for the retried one; $0.004 a call.
        QCOMPARE(nodes[1].proposer.tokensIn, std::int64_t(1000));
        QCOMPARE(nodes[1].proposer.tokensOut, std::int64_t(200));
        QCOMPARE(nodes[1].proposer.cost, 0.004);
        QCOMPARE(nodes[4].proposer.tokensIn, std::int64_t(2000));
        QCOMPARE(nodes[4].proposer.cost, 0.008);

        // The retry showed the model its answer and why it did not apply.
        const auto requests = server.requests();
        QCOMPARE(messageCount(requests[3]), 2);
        QCOMPARE(messageCount(requests[4]), 4);
        QVERIFY(requestText(requests[4]).find("could not be applied") != std::string::npos);
        QVERIFY(requestText(requests[4]).find("def priority(item, bins):") != std::string::npos);

        // The last child never applied: a failed node that keeps both answers and the reason.
        QVERIFY(nodes[5].status == NodeStatus::Failed);
        QVERIFY2(nodes[5].error.find("does not apply") != std::string::npos, nodes[5].error.c_str());
        QVERIFY(nodes[5].commit.empty());
        QCOMPARE(nodes[5].proposer.tokensIn, std::int64_t(2000));
        const fs::path failed = RunFolder{run}.artifacts(5);
        const std::string response = readFile(failed / "response.md");
        QVERIFY(response.find("## answer 1") != std::string::npos);
        QVERIFY(response.find("## answer 2") != std::string::npos);
        QVERIFY(response.find("<<<<<<< SEARCH") != std::string::npos);

        // Prompt and response are the node's artifacts; the prompt shows the parent's code
        // and its per-task results.
        const std::string prompt = readFile(RunFolder{run}.artifacts(1) / "prompt.md");
        QVERIFY(prompt.find("def priority(item, bins_remaining):") != std::string::npos);
        QVERIFY(prompt.find("weibull-a") != std::string::npos);
        QVERIFY(readFile(RunFolder{run}.artifacts(1) / "response.md").find("<<<<<<< SEARCH") !=
                std::string::npos);
        QVERIFY(readFile(RunFolder{run}.artifacts(1) / "usage.json").find("\"input_tokens\": 1000") !=
                std::string::npos);

        QVERIFY(readFile(RunFolder{run}.artifacts(2) / "response.md").find("key seen: [REDACTED]") !=
                std::string::npos);

        // The key went to the server and nowhere else.
        for (const auto& request : requests) {
            QCOMPARE(request.headers.at("authorization"),
                     std::string("Bearer ") + llmfixtures::kApiKey);
            QVERIFY(request.body.find("\"model\":\"scripted-model\"") != std::string::npos);
        }
        const auto leaks = filesHolding(run, llmfixtures::kApiKey);
        QVERIFY2(leaks.empty(), leaks.empty() ? "" : leaks.front().c_str());
    }

    // ADAS's reflexion: the model reviews its accepted change and may revise it; a
    // revision that does not apply keeps the change accepted before it.
    void reflexionRevisesTheChange()
    {
        FakeLlmServer server([](const FakeHttpRequest&, int index) {
            switch (index) {
            case 0:
                return openAiAnswer(llmrun::kSearchReplace);
            case 1:
                return openAiAnswer(llmrun::kWholeFile);
            default:
                return openAiAnswer(llmrun::kDoesNotApply);
            }
        });
        QTemporaryDir dir;
        RunSettings s = llmSettings(server, clade::llm::ProviderKind::OpenAi, 1);
        s.reflexionRounds = 2;
        const fs::path run = createRun(example(), dir.filePath("run").toStdString(), s);
        const RunOutcome outcome = RunEngine(run).run();
        QVERIFY2(outcome.status == RunOutcome::Status::Finished, outcome.message.c_str());
        QCOMPARE(server.requestCount(), 3);
        const auto requests = server.requests();
        QCOMPARE(messageCount(requests[1]), 4);
        QCOMPARE(messageCount(requests[2]), 6);
        QVERIFY(requestText(requests[1]).find("Review the change you proposed") != std::string::npos);

        const auto nodes = RunStore(RunFolder{run}.database()).loadNodes();
        QCOMPARE(nodes.size(), size_t(2));
        QVERIFY(heuristicOf(run, nodes[1]).find("# whole-file answer") != std::string::npos);
        QCOMPARE(nodes[1].description, std::string("Best fit with a tie-break on the older bin."));
        QCOMPARE(nodes[1].proposer.tokensIn, std::int64_t(3000));
        const std::string log = readFile(RunFolder{run}.artifacts(1) / "propose.log");
        QVERIFY2(log.find("reflexion round 1: revised") != std::string::npos, log.c_str());
        QVERIFY2(log.find("reflexion round 2 not applied") != std::string::npos, log.c_str());
    }

    void costBudgetEndsTheRun()
    {
        FakeLlmServer server([](const FakeHttpRequest& request, int index) {
            return anthropicAnswer(
                appendLineDiff(requestText(request), "# step " + std::to_string(index)));
        });
        QTemporaryDir dir;
        RunSettings s = llmSettings(server, clade::llm::ProviderKind::Anthropic, 20);
        s.maxCost = 0.01; // $0.004 a call: the third call passes it
        const fs::path run = createRun(example(), dir.filePath("run").toStdString(), s);
        const RunOutcome outcome = RunEngine(run).run();
        QVERIFY2(outcome.status == RunOutcome::Status::Finished, outcome.message.c_str());
        QVERIFY2(outcome.message.find("cost budget") != std::string::npos, outcome.message.c_str());
        QCOMPARE(server.requestCount(), 3);
        QCOMPARE(server.requests().front().headers.at("x-api-key"),
                 std::string(llmfixtures::kApiKey));

        const auto nodes = RunStore(RunFolder{run}.database()).loadNodes();
        QCOMPARE(nodes.size(), size_t(4));
        double cost = 0;
        for (const auto& node : nodes)
            cost += node.proposer.cost;
        QVERIFY(qAbs(cost - 0.012) < 1e-9);

        // A resume with the same budget starts nothing new; a larger one goes on.
        {
            RunEngine again(run);
            const RunOutcome second = again.run();
            QVERIFY2(second.message.find("cost budget") != std::string::npos, second.message.c_str());
            QCOMPARE(server.requestCount(), 3);
        }
        RunEngine::Overrides more;
        more.maxCost = 0.02;
        more.iterations = 4;
        RunEngine raised(run, more);
        raised.run();
        QCOMPARE(server.requestCount(), 4);
        QVERIFY(filesHolding(run, llmfixtures::kApiKey).empty());
    }

    void badKeyStopsTheRun()
    {
        FakeLlmServer server([](const FakeHttpRequest&, int) {
            return FakeHttpResponse{401, R"({"error": {"message": "Incorrect API key provided"}})", {}, 0, false};
        });
        QTemporaryDir dir;
        RunSettings s = llmSettings(server, clade::llm::ProviderKind::OpenAi, 5);
        s.llm->maxRetries = 3; // must not be used: a bad key is not retried
        const fs::path run = createRun(example(), dir.filePath("run").toStdString(), s);
        const RunOutcome outcome = RunEngine(run).run();
        QVERIFY(outcome.status == RunOutcome::Status::InputError);
        QVERIFY2(outcome.message.find("401") != std::string::npos, outcome.message.c_str());
        QCOMPARE(server.requestCount(), 1);
        QCOMPARE(RunStore(RunFolder{run}.database()).loadNodes().size(), size_t(1));
        QVERIFY(outcome.message.find(llmfixtures::kApiKey) == std::string::npos);
    }

    // A 400 (here: the prompt is past the model's context) fails only its node; the run
    // goes on, and the next request is answered.
    void refusedRequestFailsItsNodeOnly()
    {
        FakeLlmServer server([](const FakeHttpRequest& request, int index) {
            if (index == 0)
                return FakeHttpResponse{400, "{\"error\": {\"message\": \"This model\\u0027s maximum context length is 8192 tokens\"}}", {}, 0, false};
            return openAiAnswer(appendLineDiff(requestText(request), "# step " + std::to_string(index)));
        });
        QTemporaryDir dir;
        const fs::path run = createRun(example(), dir.filePath("run").toStdString(),
                                       llmSettings(server, clade::llm::ProviderKind::OpenAi, 3));
        const RunOutcome outcome = RunEngine(run).run();
        QVERIFY2(outcome.status == RunOutcome::Status::Finished, outcome.message.c_str());
        QCOMPARE(server.requestCount(), 3);
        const auto nodes = RunStore(RunFolder{run}.database()).loadNodes();
        QCOMPARE(nodes.size(), size_t(4));
        QVERIFY(nodes[1].status == NodeStatus::Failed);
        QVERIFY2(nodes[1].error.find("maximum context length") != std::string::npos,
                 nodes[1].error.c_str());
        QVERIFY(nodes[2].status == NodeStatus::Evaluated);
        QVERIFY(nodes[3].status == NodeStatus::Evaluated);
    }

    // Refusal after refusal is the configuration (a setting the model does not take): the
    // run stops after three in a row instead of failing node after node.
    // Counted across workers: with several, the run stops after three refusals in all
    // (a fourth may be on its way when the third comes back), not three per worker.
    void repeatedRefusalsStopTheRun_data()
    {
        QTest::addColumn<int>("workers");
        QTest::addColumn<int>("mostRequests");
        QTest::newRow("one worker") << 1 << 3;
        QTest::newRow("three workers") << 3 << 5;
    }
    void repeatedRefusalsStopTheRun()
    {
        QFETCH(int, workers);
        QFETCH(int, mostRequests);
        FakeLlmServer server([](const FakeHttpRequest&, int) {
            return FakeHttpResponse{400, "{\"error\": {\"message\": \"Unsupported parameter: max_tokens\"}}", {}, 0, false};
        });
        QTemporaryDir dir;
        RunSettings settings = llmSettings(server, clade::llm::ProviderKind::OpenAi, 20);
        settings.workers = workers;
        const fs::path run = createRun(example(), dir.filePath("run").toStdString(), settings);
        const RunOutcome outcome = RunEngine(run).run();
        QVERIFY(outcome.status == RunOutcome::Status::InputError);
        QVERIFY2(outcome.message.find("refused 3 requests in a row") != std::string::npos,
                 outcome.message.c_str());
        QVERIFY2(outcome.message.find("Unsupported parameter") != std::string::npos,
                 outcome.message.c_str());
        QVERIFY2(server.requestCount() >= 3 && server.requestCount() <= mostRequests,
                 std::to_string(server.requestCount()).c_str());
    }

    // A file left out of the prompt (over 100 KiB) cannot be replaced by a whole-file
    // answer: the model never saw it. The refusal goes back to the model, whose next
    // answer applies; the big file is untouched.
    void leftOutFileIsNotRewritten()
    {
        QTemporaryDir dir;
        const fs::path agent = dir.filePath("agent").toStdString();
        fs::copy(example(), agent, fs::copy_options::recursive);
        std::string table = "TABLE = [\n";
        while (table.size() < 120 * 1024)
            table += "    12345678901234567890,\n";
        table += "]\n";
        std::ofstream(agent / "table.py") << table;
        std::string manifest = readFile(agent / "clade.json");
        const std::string evolvable = "\"evolvable\": [\"heuristic.py\"]";
        QVERIFY(manifest.find(evolvable) != std::string::npos);
        manifest.replace(manifest.find(evolvable), evolvable.size(),
                         "\"evolvable\": [\"heuristic.py\", \"table.py\"]");
        std::ofstream(agent / "clade.json", std::ios::trunc) << manifest;

        FakeLlmServer server([](const FakeHttpRequest&, int index) {
            return openAiAnswer(index == 0 ? llmrun::kRewritesHiddenFile : llmrun::kSearchReplace);
        });
        const fs::path run = createRun(agent, dir.filePath("run").toStdString(),
                                       llmSettings(server, clade::llm::ProviderKind::OpenAi, 1));
        const RunOutcome outcome = RunEngine(run).run();
        QVERIFY2(outcome.status == RunOutcome::Status::Finished, outcome.message.c_str());
        QCOMPARE(server.requestCount(), 2);
        QVERIFY(requestText(server.requests()[0]).find("table.py") != std::string::npos); // named
        QVERIFY(requestText(server.requests()[1]).find("was not shown to you") != std::string::npos);
        const auto nodes = RunStore(RunFolder{run}.database()).loadNodes();
        QCOMPARE(nodes.size(), size_t(2));
        QVERIFY2(nodes[1].status == NodeStatus::Evaluated, nodes[1].error.c_str());
        auto repo = clade::git::Repository::openBare(RunFolder{run}.repo());
        QCOMPARE(repo.readFile(clade::git::Oid::fromHex(nodes[1].commit), "table.py").value_or(""),
                 table);
    }

    void refusesARunWithoutAModel()
    {
        QTemporaryDir dir;
        RunSettings s;
        s.proposer = "llm";
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 createRun(example(), dir.filePath("run").toStdString(), s));
        QVERIFY(!fs::exists(dir.filePath("run").toStdString()));
    }
};

QTEST_GUILESS_MAIN(TestLlmRun)
#include "tst_llmrun.moc"
