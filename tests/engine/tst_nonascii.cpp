// The non-ASCII corpus (tests/support/NonAsciiCorpus.h) through the engine's readers and
// writers other than the importers (tst_nonasciiimport): the llm proposer (prompt, the
// model's answer, its description, an evolvable file that is not UTF-8), a server's error
// body, notes and tags (`clade note` too), the run store, an agent folder's file names in
// git, the sandbox's output cap, the phase log, the score phase's output and risk findings.
// Nothing may throw, every character must come through, and bytes that are not UTF-8
// become U+FFFD where the text is kept as text, with a report saying so.
#include "engine/eval/PhaseLog.h"
#include "engine/eval/ScoreOutput.h"
#include "engine/git/FileSetCommit.h"
#include "engine/git/Repository.h"
#include "engine/git/RunDiff.h"
#include "engine/importers/ImportWriter.h"
#include "engine/llm/LlmClient.h"
#include "engine/llm/LlmError.h"
#include "engine/llm/Usage.h"
#include "engine/propose/CommandProposer.h"
#include "engine/propose/LlmProposer.h"
#include "engine/propose/PromptBuilder.h"
#include "engine/propose/PromptTemplates.h"
#include "engine/review/Decisions.h"
#include "engine/review/Finding.h"
#include "engine/run/RunExport.h"
#include "engine/run/RunSummary.h"
#include "engine/sandbox/Sandbox.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"
#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"
#include "engine/util/ScratchSpace.h"
#include "engine/util/Utf8Text.h"
#include "support/FakeLlmServer.h"
#include "support/FakeLlmSettings.h"
#include "support/LlmFixtures.h"
#include "support/NonAsciiCorpus.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace clade::engine;
namespace fs = std::filesystem;
namespace corpus = testsupport::corpus;
using testsupport::FakeHttpRequest;
using testsupport::FakeLlmServer;

namespace {

void writeBytes(const fs::path& file, const std::string& bytes)
{
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << bytes;
}

std::string readBytes(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// QTemporaryDir removes through QString and cannot name a file whose name is not UTF-8.
struct RemovedAtEnd {
    fs::path folder;
    ~RemovedAtEnd()
    {
        std::error_code ignored;
        fs::remove_all(folder, ignored);
    }
};

// An OpenAI chat completion whose content is `content`, as raw bytes (a JSON library
// could not write the invalid ones).
std::string openAiAnswer(const std::string& content)
{
    std::string escaped;
    for (const char c : content)
        escaped += c == '\n' ? std::string("\\n") : c == '"' ? std::string("\\\"") : std::string(1, c);
    return R"({"id": "x", "model": "m", "choices": [{"message": {"role": "assistant", "content": ")" + escaped +
           R"("}, "finish_reason": "stop"}], "usage": {"prompt_tokens": 10, "completion_tokens": 5}})";
}

// A run with a root and one child, for decisions and the store.
fs::path makeRun(const fs::path& folder)
{
    ImportedRun run;
    run.format = "test";
    run.source = folder;
    run.name = "nonascii";
    ImportedNode root;
    root.sourceId = "root";
    root.files["a.py"] = "x = 1\n";
    root.description = "root";
    ImportedNode child = root;
    child.sourceId = "child";
    child.parent = 0;
    child.files["a.py"] = "x = 2\n";
    child.description = "child";
    child.score = 0.5;
    run.nodes = {root, child};
    return writeImportedRun(run, folder / "run").run;
}

} // namespace

class TestNonAscii : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { qputenv(testsupport::kKeyVar, testsupport::llmfixtures::kApiKey); }

    void promptLogTailKeepsWholeCharacters();
    void llmProposerWithNonAsciiAnswer();
    void commandProposerDescription();
    void serverErrorBodyIsQuotedWhole();
    void notesAndTagsInEveryScript();
    void notesAndTagsWithInvalidBytes();
    void commandLineArgumentThatIsNotUtf8();
    void storeRepairsWhatSlipsThrough();
    void agentFolderFileNamesInGit();
    void sandboxOutputCapCutsWholeCharacters();
    void scoreOutputExcerpt();
    void findingsHoldAnyFileName();
};

// The parent's evaluate log is one long line (no line break to start the tail on) whose
// 6000-byte tail starts inside a ’, with bytes that are not UTF-8 in it.
void TestNonAscii::promptLogTailKeepsWholeCharacters()
{
    std::string log;
    while (log.size() < 9000)
        log += "’";
    log += "x" + corpus::kWithInvalid; // 6000 from the end falls inside a ’
    QVERIFY((log.size() - 6000) % 3 != 0);
    Manifest manifest;
    manifest.name = corpus::kValid;
    Node parent;
    parent.id = 0;
    parent.description = corpus::kValid;
    const std::vector<Node> history;
    const std::map<std::string, std::string> files{{"a.py", "# " + corpus::kValid + "\n"}};
    const auto vars = promptVariables({manifest, parent, history, files, {}, log});
    const std::string& tail = vars.at("parent_log");
    QVERIFY2(isValidUtf8(tail), tail.c_str());
    QVERIFY(tail.ends_with("x" + corpus::kRepaired));
    QVERIFY(tail.find("’’’x") != std::string::npos);
    for (const auto& [name, value] : vars)
        QVERIFY2(isValidUtf8(value), name.c_str());
}

// A whole llm proposal: the parent holds a file that is not UTF-8 (left out of the prompt,
// which must stay valid JSON) and one in the corpus; the model answers with a description
// past 200 characters, an edit in every script, and bytes that are not UTF-8.
void TestNonAscii::llmProposerWithNonAsciiAnswer()
{
    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    const std::string line = "greeting = \"" + corpus::kValid + "\"";
    const std::string replaced = "greeting = \"" + corpus::kRightToLeft + " " + corpus::kEmoji + "\"";
    const std::string description = corpus::splitAt(200);
    const std::string answer = description + corpus::kLoneInvalid + "\n\nheuristic.py\n<<<<<<< SEARCH\n" + line +
                               "\n=======\n" + replaced + "\n>>>>>>> REPLACE\n";
    FakeLlmServer server([&](const FakeHttpRequest&, int) {
        return testsupport::answer(200, openAiAnswer(answer));
    });
    auto repo = clade::git::Repository::initBare(root / "repo.git");
    const auto parentCommit = clade::git::commitFileSet(
        repo.raw(), {{"heuristic.py", line + "\n"}, {"latin1.py", "name = 'caf\xe9'\n"}}, {}, "root");
    Manifest manifest;
    manifest.name = "agent";
    manifest.evolvable = {"heuristic.py", "latin1.py"};
    clade::llm::LlmClient client(testsupport::settingsFor(server, clade::llm::ProviderKind::OpenAi, "m"),
                                 testsupport::fixturePrices());
    clade::llm::CostBudget budget;
    std::atomic<int> refused{0};
    LlmProposer proposer(manifest, PromptTemplates::builtIn(), client, budget, refused, {0, 0});
    Node parent;
    parent.id = 0;
    parent.commit = parentCommit.hex();
    parent.description = corpus::kValid;
    const std::vector<Node> history{parent};
    ProposalOutcome outcome;
    try {
        outcome = proposer.propose(repo, {parent, 1, history, "log: " + corpus::kWithInvalid});
    } catch (const std::exception& error) {
        QFAIL(error.what());
    }
    QVERIFY2(outcome.kind == ProposalOutcome::Kind::Proposed, outcome.error.c_str());
    // The request was JSON, the file that is not UTF-8 named as left out.
    QCOMPARE(server.requestCount(), 1);
    const std::string body = server.requests().front().body;
    QVERIFY(isValidUtf8(body));
    const auto request = nlohmann::json::parse(body);
    const std::string prompt = request.at("messages")[1].at("content").get<std::string>();
    QVERIFY(prompt.find(line) != std::string::npos);
    QVERIFY(prompt.find("(latin1.py is evolvable but not shown") != std::string::npos);
    // The answer: repaired, reported in the log, its edit applied character for character.
    QVERIFY2(outcome.log.find("answer 1: 1 byte(s) that are not UTF-8, replaced with U+FFFD") != std::string::npos,
             outcome.log.c_str());
    QVERIFY(isValidUtf8(outcome.description));
    QCOMPARE(characterCount(outcome.description), std::size_t(200));
    QVERIFY(outcome.description.ends_with("…"));
    QVERIFY(description.rfind(outcome.description.substr(0, outcome.description.size() - 3), 0) == 0);
    const auto child = clade::git::Oid::fromHex(outcome.commit);
    QCOMPARE(repo.readFile(child, "heuristic.py").value_or(""), replaced + "\n");
    QCOMPARE(repo.readFile(child, "latin1.py").value_or(""), std::string("name = 'caf\xe9'\n"));
}

// The agent's own propose command writes its description.txt: a first line past 200
// characters whose 200th byte falls inside a ’, and a byte that is not UTF-8.
void TestNonAscii::commandProposerDescription()
{
    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    fs::permissions(root, fs::perms(0755)); // the sandbox user reads the agent
    fs::create_directories(root / "harness");
    writeFileAtomically(root / "a.py", "x = 1\n");
    const std::string script = "open('/output/description.txt', 'wb').write(b'\\xff' + b'a' * 198 + "
                               "'\\u2019 is long'.encode()); open('/agent/a.py', 'a').write('y = 2\\n')";
    const nlohmann::json agent{{"name", "toy"},
                               {"evolvable", {"a.py"}},
                               {"harness", "harness"},
                               {"propose", {{"command", {"/usr/bin/python3", "-c", script}}}},
                               {"solve", {{"command", {"/bin/true"}}}},
                               {"score", {{"command", {"/bin/true"}}}},
                               {"tasks", {"t1"}}};
    writeFileAtomically(root / "clade.json", agent.dump(2));
    const Manifest manifest = loadManifest(root);
    auto sandbox = makeSandbox("bwrap");
    ScratchSpace scratch(sandboxUid(), sandboxGid());
    auto repo = clade::git::Repository::initBare(root / "repo.git");
    Node parent;
    parent.id = 0;
    parent.commit = repo.commitDirectory(root, {}, "root", {"repo.git/", "harness/"}).hex();
    const std::vector<Node> history{parent};
    CommandProposer proposer(manifest, *sandbox, scratch);
    const ProposalOutcome outcome = proposer.propose(repo, {parent, 1, 7, history, {}});
    QVERIFY2(outcome.kind == ProposalOutcome::Kind::Proposed, (outcome.error + outcome.log).c_str());
    QVERIFY2(isValidUtf8(outcome.description), outcome.description.c_str());
    QCOMPARE(outcome.description, corpus::kReplacement + std::string(198, 'a') + "…");
    QVERIFY2(outcome.log.find("description.txt: 1 byte(s) that are not UTF-8, replaced with U+FFFD") !=
                 std::string::npos,
             outcome.log.c_str());
}

// A refused request whose body is long, non-ASCII and not all UTF-8: the error quotes it
// in whole characters.
void TestNonAscii::serverErrorBodyIsQuotedWhole()
{
    const std::string body = corpus::splitAt(500) + corpus::kWithInvalid;
    FakeLlmServer server([&](const FakeHttpRequest&, int) { return testsupport::answer(400, body); });
    clade::llm::LlmClient client(testsupport::settingsFor(server, clade::llm::ProviderKind::OpenAi, "m"),
                                 testsupport::fixturePrices());
    clade::llm::ChatRequest request;
    request.messages = {{clade::llm::Role::User, corpus::kValid}};
    try {
        client.complete(request);
        QFAIL("a 400 was accepted");
    } catch (const clade::llm::LlmError& error) {
        const std::string message = error.what();
        QVERIFY2(isValidUtf8(message), message.c_str());
        QVERIFY(message.find(std::string(497, 'a') + "...") != std::string::npos); // 500 with "..."
    }
}

// Notes and tags in every script, applied at once (no owner): a tag of 30 CJK characters
// is 90 bytes and still within "64 characters".
void TestNonAscii::notesAndTagsInEveryScript()
{
    QTemporaryDir dir;
    const fs::path run = makeRun(dir.path().toStdString());
    std::string cjkTag;
    for (int i = 0; i < 15; ++i)
        cjkTag += "中文";
    QVERIFY(cjkTag.size() > 64);
    for (const std::string& tag : {cjkTag, corpus::kEmoji, corpus::kRightToLeft, std::string("’naïve")}) {
        try {
            QVERIFY(submitDecision(run, {1, DecisionAction::Tag, {}, {{"tag", tag}}}).appliedNow);
        } catch (const std::exception& error) {
            QFAIL(error.what());
        }
    }
    QVERIFY(submitDecision(run, {1, DecisionAction::Note, corpus::atLeast(2000), {}}).appliedNow);
    RunStore store(RunFolder{run}.database());
    const auto node = store.loadNode(1);
    QCOMPARE(node->tags.size(), std::size_t(4));
    QVERIFY(std::find(node->tags.begin(), node->tags.end(), cjkTag) != node->tags.end());
    QVERIFY(std::find(node->tags.begin(), node->tags.end(), corpus::kEmoji) != node->tags.end());
    const auto decisions = store.decisionsFor(1);
    QCOMPARE(decisions.back().note, corpus::atLeast(2000));
    QVERIFY(isValidUtf8(exportJson(RunSnapshot::read(run))));
    // 65 characters is one too many, however few bytes they are.
    QVERIFY_THROWS_EXCEPTION(InputError, submitDecision(run, {1, DecisionAction::Tag, {}, {{"tag", std::string(65, 'x')}}}));
}

void TestNonAscii::notesAndTagsWithInvalidBytes()
{
    QTemporaryDir dir;
    const fs::path run = makeRun(dir.path().toStdString());
    DecisionReceipt tagged, noted;
    try {
        tagged = submitDecision(run, {1, DecisionAction::Tag, {}, {{"tag", "tag" + corpus::kLoneInvalid}}});
        noted = submitDecision(run, {1, DecisionAction::Note, corpus::kWithInvalid, {}});
    } catch (const std::exception& error) {
        QFAIL(error.what());
    }
    QCOMPARE(tagged.invalidUtf8Bytes, 1);
    QCOMPARE(noted.invalidUtf8Bytes, corpus::kInvalidBytes);
    RunStore store(RunFolder{run}.database());
    QCOMPARE(store.loadNode(1)->tags, std::vector<std::string>{"tag" + corpus::kReplacement});
    QCOMPARE(store.decisionsFor(1).back().note, corpus::kRepaired);
    QVERIFY(isValidUtf8(exportJson(RunSnapshot::read(run))));
}

// `clade note` with an argument that is not UTF-8 (given through a shell: QProcess would
// encode it): Qt reads it with U+FFFD, and clade says so instead of changing it unsaid.
void TestNonAscii::commandLineArgumentThatIsNotUtf8()
{
    QTemporaryDir dir;
    const fs::path run = makeRun(dir.path().toStdString());
    QProcess clade;
    clade.start("/bin/sh", {"-c", "exec \"$0\" note \"$1\" 1 \"$(printf 'x\\377y ')$2\"", CLADE_BINARY,
                            QString::fromStdString(run.string()), QString::fromStdString(corpus::kValid)});
    QVERIFY(clade.waitForFinished(60000));
    const QString err = QString::fromUtf8(clade.readAllStandardError());
    QCOMPARE(clade.exitCode(), 0);
    QVERIFY2(err.contains("argument 4 is not UTF-8"), qPrintable(err));
    RunStore store(RunFolder{run}.database());
    QCOMPARE(store.decisionsFor(1).back().note, "x" + corpus::kReplacement + "y " + corpus::kValid);
}

// A caller that passes text that is not UTF-8 straight to the store (an exception message
// quoting a file name): written repaired, never the json type_error that loses the write.
void TestNonAscii::storeRepairsWhatSlipsThrough()
{
    QTemporaryDir dir;
    const fs::path run = makeRun(dir.path().toStdString());
    RunStore store(RunFolder{run}.database());
    Node node;
    node.id = 2;
    node.parents = {1};
    node.status = NodeStatus::Failed;
    node.description = corpus::kWithInvalid;
    node.error = "cannot read " + corpus::kWithInvalid;
    try {
        store.insertNode(node);
        store.setStatus(2, NodeStatus::Failed, "again: " + corpus::kWithInvalid);
    } catch (const std::exception& error) {
        QFAIL(error.what());
    }
    const auto stored = store.loadNode(2);
    QCOMPARE(stored->description, corpus::kRepaired);
    QCOMPARE(stored->error, "again: " + corpus::kRepaired);
    QVERIFY(isValidUtf8(exportJson(RunSnapshot::read(run))));
}

// An agent's folder with files named in the corpus, and one whose name is not UTF-8 (any
// bytes but '/' and NUL make a Linux file name): committed, checked out and diffed with
// every name byte for byte.
void TestNonAscii::agentFolderFileNamesInGit()
{
    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    const RemovedAtEnd cleanup{root};
    const fs::path agent = root / "agent";
    const std::string folderName = corpus::kCjk + " " + corpus::kEmoji;
    const std::string named = folderName + "/" + corpus::kAccented + ".py";
    const std::string rtl = corpus::kRightToLeft + ".txt";
    const std::string invalid = "bad" + corpus::kLoneInvalid + corpus::kTruncated + ".txt";
    writeBytes(agent / named, "# " + corpus::kValid + "\n");
    writeBytes(agent / rtl, corpus::kRightToLeft + "\n");
    writeBytes(agent / invalid, corpus::kWithInvalid + "\n");
    auto repo = clade::git::Repository::initBare(root / "repo.git");
    const auto first = repo.commitDirectory(agent, {}, corpus::kValid, {});
    writeBytes(agent / named, "# " + corpus::kValid + "\nx = 1\n");
    const auto second = repo.commitDirectory(agent, {first}, "change " + corpus::kCjk, {});
    QCOMPARE(repo.readFile(first, named).value_or(""), "# " + corpus::kValid + "\n");
    QCOMPARE(repo.readFile(first, invalid).value_or(""), corpus::kWithInvalid + "\n");
    const auto stats = repo.diffStats(first, second);
    QCOMPARE(stats.filesChanged, 1);
    QCOMPARE(stats.insertions, 1);
    // (diffPatch quotes such a path in its headers, as git does; the views use computeDiff.)
    QVERIFY(repo.diffPatch(first, second).find("\n+x = 1\n") != std::string::npos);
    const auto diff = clade::git::computeDiff(root / "repo.git", first.hex(), second.hex(), nullptr);
    QVERIFY2(diff.error.empty(), diff.error.c_str());
    QCOMPARE(diff.files.size(), std::size_t(1));
    QCOMPARE(diff.files.front().path, named);
    const fs::path out = root / "checkout";
    repo.checkout(second, out);
    QCOMPARE(readBytes(out / named), "# " + corpus::kValid + "\nx = 1\n");
    QCOMPARE(readBytes(out / rtl), corpus::kRightToLeft + "\n");
    QCOMPARE(readBytes(out / invalid), corpus::kWithInvalid + "\n");
    QCOMPARE(repo.messageOf(first).rfind(corpus::kValid, 0), std::size_t(0));
}

// The output cap falls inside a ’: the kept text ends before it, never on half of it. The
// phase log keeps what the command printed, invalid bytes and all (it is a file; the log
// view shows them as U+FFFD).
void TestNonAscii::sandboxOutputCapCutsWholeCharacters()
{
    auto sandbox = makeSandbox("unsafe-rlimits");
    SandboxSpec spec;
    spec.argv = {"/usr/bin/printf", "%s", std::string(99, 'a') + "’’’’"};
    spec.limits.outputBytes = 100;
    const SandboxResult capped = sandbox->run(spec);
    QVERIFY(capped.launched);
    QCOMPARE(capped.stdoutText, std::string(99, 'a'));

    spec.argv = {"/bin/sh", "-c", "printf '%s' \"$0\"; printf '%s' \"$1\" >&2", corpus::kValid, corpus::kWithInvalid};
    spec.limits.outputBytes = 4 << 20;
    const SandboxResult printed = sandbox->run(spec);
    QVERIFY(printed.succeeded());
    QCOMPARE(printed.stdoutText, corpus::kValid);
    QCOMPARE(printed.stderrText, corpus::kWithInvalid);
    const std::string log = formatPhaseLog("solve", printed);
    QVERIFY(log.find("--- stdout\n" + corpus::kValid + "\n") != std::string::npos);
    QVERIFY(log.find("--- stderr\n" + corpus::kWithInvalid + "\n") != std::string::npos);
}

// What a broken score phase printed is quoted in whole characters, repaired.
void TestNonAscii::scoreOutputExcerpt()
{
    for (const std::string& text : {corpus::splitAt(120), corpus::kWithInvalid}) {
        try {
            parseScoreOutput(text, {"t1"}, "score.py");
            QFAIL("not JSON was accepted");
        } catch (const InputError& error) {
            QVERIFY2(isValidUtf8(error.what()), error.what());
        }
    }
}

// A finding about a file whose name and line are not UTF-8 goes into review.json and the
// audit trail as JSON: repaired there, the finding itself keeping the real name.
void TestNonAscii::findingsHoldAnyFileName()
{
    Finding finding;
    finding.detector = "risky-call";
    finding.path = "bad" + corpus::kLoneInvalid + ".py";
    finding.line = 3;
    finding.message = "calls os.system";
    finding.excerpt = findingExcerpt("os.system('" + corpus::kWithInvalid + "')");
    QVERIFY(isValidUtf8(finding.excerpt));
    const std::string excerpt = findingExcerpt(corpus::splitAt(200));
    QVERIFY(isValidUtf8(excerpt));
    QCOMPARE(excerpt, std::string(199, 'a'));
    std::string json;
    try {
        json = findingsToJson({finding}).dump();
    } catch (const std::exception& error) {
        QFAIL(error.what());
    }
    const auto back = findingsFromJson(nlohmann::json::parse(json), "review.json");
    QCOMPARE(back.front().path, "bad" + corpus::kReplacement + ".py");
    QCOMPARE(back.front().excerpt, "os.system('" + corpus::kRepaired + "')");
}

QTEST_GUILESS_MAIN(TestNonAscii)
#include "tst_nonascii.moc"
