// Human in the loop end to end: a run with --review ask-on-risk holds a risky proposal, the
// sandbox never runs it before a person approves (a sentinel the code prints when run
// proves it), approve evaluates it, reject means it never runs; revert and branch change
// what the strategy expands next. Decisions come through the inbox while the engine runs,
// from this process and from a separate `clade` process.
#include "engine/review/Decisions.h"
#include "engine/review/ReviewQueue.h"
#include "engine/run/RunCreator.h"
#include "engine/run/RunEngine.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunLock.h"
#include "engine/store/RunStore.h"
#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"
#include "support/ReviewToyAgent.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <future>
#include <sstream>
#include <thread>

using namespace clade::engine;
namespace fs = std::filesystem;

namespace {

RunSettings settings(int iterations, const std::string& review)
{
    RunSettings s;
    s.iterations = iterations;
    s.workers = 1;
    s.seed = 7;
    s.review = review;
    return s;
}

// Whether any file of the node's artifacts holds `needle`.
bool artifactsMention(const fs::path& run, int node, const std::string& needle)
{
    const fs::path dir = RunFolder{run}.artifacts(node);
    if (!fs::exists(dir))
        return false;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file())
            continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        if (text.str().find(needle) != std::string::npos)
            return true;
    }
    return false;
}

std::vector<Node> nodesOf(const fs::path& run)
{
    RunStore store(RunFolder{run}.database(), Database::Mode::ReadOnly);
    return store.loadNodes();
}

Node nodeOf(const fs::path& run, int id)
{
    RunStore store(RunFolder{run}.database(), Database::Mode::ReadOnly);
    return *store.loadNode(id);
}

// Each node on one line, for a failure message.
std::string describe(const fs::path& run)
{
    std::string text;
    for (const auto& node : nodesOf(run))
        text += "\n#" + std::to_string(node.id) + " <- " + std::to_string(node.primaryParent()) + " " +
                toString(node.status) + " flags " + std::to_string(node.flags) + " " + node.description;
    return text;
}

// A new run of the toy agent in `dir`.
fs::path newRun(const QTemporaryDir& dir, const std::string& mode, int iterations,
                const std::string& review)
{
    const fs::path root = dir.path().toStdString();
    return createRun(testsupport::makeReviewToyAgent(root / "agent", mode), root / "run", settings(iterations, review));
}

// The engine on its own thread, as in a GUI or a headless `clade run`. Whatever fails in
// the test, it is stopped on the way out, so the test ends rather than hangs.
struct RunningEngine {
    std::unique_ptr<RunEngine> engine;
    std::future<RunOutcome> outcome;

    explicit RunningEngine(const fs::path& run) : engine(std::make_unique<RunEngine>(run))
    {
        outcome = std::async(std::launch::async, [this] { return engine->run(); });
    }
    ~RunningEngine()
    {
        engine->stop(true);
        if (outcome.valid())
            outcome.wait();
    }
    bool endsWithin(std::chrono::seconds limit) { return outcome.wait_for(limit) == std::future_status::ready; }
};

RunOutcome resume(const fs::path& run, int iterations)
{
    RunEngine::Overrides overrides;
    overrides.iterations = iterations;
    RunEngine engine(run, overrides);
    return engine.run();
}

} // namespace

class TestReview : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void heldProposalNeverRunsBeforeApproval()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path run = newRun(dir, "risky-odd", 3, "ask-on-risk");
        RunningEngine running(run);

        // Children 1 and 3 are risky and wait; 2 is harmless and is evaluated meanwhile.
        QTRY_VERIFY_WITH_TIMEOUT(loadReviewQueue(run).size() == 2 &&
                                     nodeOf(run, 2).status == NodeStatus::Evaluated,
                                 60000);
        QVERIFY(!running.endsWithin(std::chrono::seconds(0))); // it waits for a person
        for (int held : {1, 3}) {
            const Node node = nodeOf(run, held);
            QCOMPARE(int(node.status), int(NodeStatus::AwaitingApproval));
            const auto findings = loadFindings(run, held);
            QVERIFY(std::any_of(findings.begin(), findings.end(),
                                [](const Finding& f) { return f.detector == "risky-call"; }));
            QVERIFY(!artifactsMention(run, held, "SENTINEL-RAN"));
            QVERIFY(!fs::exists(RunFolder{run}.artifacts(held) / "evaluate.log"));
        }
        QCOMPARE(int(nodeOf(run, 2).status), int(NodeStatus::Evaluated));

        // Approve from this process; reject from another one, through the inbox.
        const auto approved = submitDecision(run, {1, DecisionAction::Approve, "looked at it", {}});
        QVERIFY(!approved.appliedNow);
        QProcess reject;
        reject.start(CLADE_BINARY, {"reject", QString::fromStdString(run.string()), "3", "--note",
                                    "no subprocess here"});
        QVERIFY(reject.waitForFinished(30000));
        QVERIFY2(reject.exitCode() == 0, reject.readAllStandardError().constData());

        QVERIFY2(running.endsWithin(std::chrono::seconds(60)), describe(run).c_str());
        QCOMPARE(int(running.outcome.get().status), int(RunOutcome::Status::Finished));

        const Node one = nodeOf(run, 1);
        QCOMPARE(int(one.status), int(NodeStatus::Evaluated));
        QVERIFY(artifactsMention(run, 1, "SENTINEL-RAN-1")); // it ran, after approval
        const Node three = nodeOf(run, 3);
        QCOMPARE(int(three.status), int(NodeStatus::Rejected));
        QVERIFY(!artifactsMention(run, 3, "SENTINEL-RAN"));
        QVERIFY(!fs::exists(RunFolder{run}.artifacts(3) / "evaluate.log"));

        // The audit trail: who, the note, what the reviewer was shown.
        RunStore store(RunFolder{run}.database(), Database::Mode::ReadOnly);
        const auto decisions = store.allDecisions();
        QCOMPARE(decisions.size(), size_t(2));
        QCOMPARE(decisions[0].action, std::string("approve"));
        QCOMPARE(decisions[0].who, currentUserName());
        QCOMPARE(decisions[0].note, std::string("looked at it"));
        QVERIFY(!decisions[0].payload["findings"].empty());
        QCOMPARE(decisions[1].action, std::string("reject"));
        QCOMPARE(decisions[1].note, std::string("no subprocess here"));
        QVERIFY(loadReviewQueue(run).empty());
    }

    void revertAndBranchSteerTheNextExpansion()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path run = newRun(dir, "harmless", 3, "auto");
        QCOMPARE(int(resume(run, 3).status), int(RunOutcome::Status::Finished));
        // Equal scores: sica builds on the newest node each time, a chain 0 <- 1 <- 2 <- 3.
        auto nodes = nodesOf(run);
        QCOMPARE(nodes.size(), size_t(4));
        QCOMPARE(nodes[1].primaryParent(), 0);
        QCOMPARE(nodes[2].primaryParent(), 1);
        QCOMPARE(nodes[3].primaryParent(), 2);

        // Revert 1: the strategy leaves its whole clade (1, 2, 3), so the root is next.
        QVERIFY(submitDecision(run, {1, DecisionAction::Revert, "too good to be true", {}}).appliedNow);
        QVERIFY(nodeOf(run, 1).hasFlag(FlagReverted));
        QCOMPARE(int(resume(run, 4).status), int(RunOutcome::Status::Finished));
        QCOMPARE(nodeOf(run, 4).primaryParent(), 0);

        // Branch from 2 once: the next expansion starts there, the one after does not.
        QVERIFY(submitDecision(run, {2, DecisionAction::Branch, {}, {{"times", 1}}}).appliedNow);
        QVERIFY(nodeOf(run, 2).hasFlag(FlagPinned));
        QCOMPARE(int(resume(run, 6).status), int(RunOutcome::Status::Finished));
        QCOMPARE(nodeOf(run, 5).primaryParent(), 2);
        QVERIFY(nodeOf(run, 6).primaryParent() != 2);
        QVERIFY(!nodeOf(run, 2).hasFlag(FlagPinned)); // used up

        // Until unpinned: every expansion starts there, until a person unpins.
        QVERIFY(submitDecision(run, {0, DecisionAction::Branch, {}, {{"times", 0}}}).appliedNow);
        QCOMPARE(int(resume(run, 8).status), int(RunOutcome::Status::Finished));
        QCOMPARE(nodeOf(run, 7).primaryParent(), 0);
        QCOMPARE(nodeOf(run, 8).primaryParent(), 0);
        QVERIFY(submitDecision(run, {0, DecisionAction::Unpin, {}, {}}).appliedNow);
        QVERIFY(!nodeOf(run, 0).hasFlag(FlagPinned));
    }

    // A score out of line with its parent's holds the keep decision, not the run: the node
    // is evaluated, the strategy does not build on it until a person approves.
    void scoreJumpHoldsTheKeep()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path run = newRun(dir, "jump", 2, "ask-on-risk");
        RunningEngine running(run);

        QTRY_VERIFY_WITH_TIMEOUT(loadReviewQueue(run).size() == 2, 60000);
        const Node one = nodeOf(run, 1);
        QCOMPARE(int(one.status), int(NodeStatus::Evaluated));
        QVERIFY(one.hasFlag(FlagHeld));
        QVERIFY(!one.hasFlag(FlagKept));
        const auto findings = loadFindings(run, 1);
        QVERIFY(std::any_of(findings.begin(), findings.end(),
                            [](const Finding& f) { return f.detector == "score-jump"; }));
        // Held, so not built on: the second child comes from the root.
        QCOMPARE(nodeOf(run, 2).primaryParent(), 0);

        QVERIFY(!submitDecision(run, {1, DecisionAction::Approve, {}, {}}).appliedNow);
        QVERIFY(!submitDecision(run, {2, DecisionAction::Reject, {}, {}}).appliedNow);
        QVERIFY2(running.endsWithin(std::chrono::seconds(60)), describe(run).c_str());
        QCOMPARE(int(running.outcome.get().status), int(RunOutcome::Status::Finished));
        QVERIFY(nodeOf(run, 1).hasFlag(FlagKept));
        QVERIFY(!nodeOf(run, 1).hasFlag(FlagHeld));
        QVERIFY(nodeOf(run, 2).hasFlag(FlagReverted));
    }

    // Approve then reject of the same held node, both queued for a busy owner: the second
    // is refused at once, where the person sees it, not later in the owner's log.
    void aSecondSettlingDecisionIsRefused()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path run = newRun(dir, "harmless", 1, "ask-always");
        {
            RunningEngine running(run);
            QTRY_VERIFY_WITH_TIMEOUT(loadReviewQueue(run).size() == 1, 60000);
            running.engine->stop(false); // it would wait for the review forever
            QCOMPARE(int(running.outcome.get().status), int(RunOutcome::Status::Stopped));
        }
        const RunLock owner(run); // as if a search were running: decisions are queued
        QVERIFY(!submitDecision(run, {1, DecisionAction::Approve, {}, {}}).appliedNow);
        try {
            submitDecision(run, {1, DecisionAction::Reject, {}, {}});
            QFAIL("a reject after a queued approve was accepted");
        } catch (const InputError& e) {
            QVERIFY2(QString(e.what()).contains("already has an approve"), e.what());
        }
        QVERIFY(!submitDecision(run, {1, DecisionAction::Star, {}, {}}).appliedNow); // not settling
    }

    void decisionsThatDoNotFitAreRefused()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path run = newRun(dir, "harmless", 1, "auto");
        QCOMPARE(int(resume(run, 1).status), int(RunOutcome::Status::Finished));
        const auto refused = [&](const DecisionRequest& request, const QString& expected) {
            try {
                submitDecision(run, request);
            } catch (const InputError& e) {
                return QString(e.what()).contains(expected);
            }
            return false;
        };
        QVERIFY(refused({1, DecisionAction::Approve, {}, {}}, "is not awaiting approval"));
        QVERIFY(refused({0, DecisionAction::Revert, {}, {}}, "root cannot be reverted"));
        QVERIFY(refused({9, DecisionAction::Star, {}, {}}, "node 9 does not exist"));
        QVERIFY(refused({1, "launch", {}, {}}, "is not a decision"));
        QVERIFY(refused({1, DecisionAction::Tag, {}, {{"tag", ""}}}, "a tag is one line"));

        // Notes, tags and stars persist and read back with the node.
        QVERIFY(submitDecision(run, {1, DecisionAction::Tag, {}, {{"tag", "baseline"}}}).appliedNow);
        QVERIFY(submitDecision(run, {1, DecisionAction::Star, {}, {}}).appliedNow);
        QVERIFY(submitDecision(run, {1, DecisionAction::Note, "compare with #0", {}}).appliedNow);
        const Node one = nodeOf(run, 1);
        QCOMPARE(one.tags, std::vector<std::string>{"baseline"});
        QVERIFY(one.hasFlag(FlagStarred));
        RunStore store(RunFolder{run}.database(), Database::Mode::ReadOnly);
        QCOMPARE(store.decisionsFor(1).back().note, std::string("compare with #0"));
        QCOMPARE(one.notes, std::vector<std::string>{"compare with #0"});
        QCOMPARE(store.loadNodes()[1].notes, std::vector<std::string>{"compare with #0"});
    }
};

QTEST_GUILESS_MAIN(TestReview)
#include "tst_review.moc"
