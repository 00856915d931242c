// What people decide, as the search must respect it, on ReviewHolds alone: a branch pin
// counted down on the record expansion by expansion (so a resumed run goes on counting),
// a score jump or a score bought with a worse guard metric recorded and — by the review
// policy — held, decisions from the inbox
// reaching the coordinator's nodes and the blocked set, and a run with nothing else to do
// waiting for a person while its time lasts. Whole runs held, approved, reverted and
// branched are in tst_review.
#include "engine/review/DecisionRules.h"
#include "engine/review/Decisions.h"
#include "engine/review/ReviewQueue.h"
#include "engine/run/ReviewHolds.h"
#include "engine/run/RunConfig.h"
#include "engine/run/RunCreator.h"
#include "engine/store/RunLock.h"
#include "engine/store/RunStore.h"
#include "support/SyntheticNodes.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <fstream>
#include <memory>

using namespace clade::engine;
using testsupport::scoredNode;
namespace fs = std::filesystem;

namespace {

// A run of the bundled example with its root scored 0.5 and `children` (scores, each a
// child of the root, with its artifacts folder), and ReviewHolds on it as the engine holds
// them: the nodes it reads are this fixture's, which its coordinator hooks update.
struct HeldRun {
    QTemporaryDir dir;
    RunFolder folder;
    RunConfig config;
    std::unique_ptr<RunStore> store;
    std::vector<Node> nodes;
    std::vector<RunEvent> told;
    std::vector<int> updated;
    int nextId = 0;
    std::unique_ptr<ReviewHolds> holds;

    HeldRun(const std::vector<double>& children, ReviewPolicy policy)
    {
        RunSettings settings;
        settings.iterations = 10;
        folder.root = createRun(fs::path(CLADE_SOURCE_DIR) / "examples" / "binpack",
                                dir.filePath("run").toStdString(), settings);
        config = RunConfig::load(folder.root);
        store = std::make_unique<RunStore>(folder.database());
        Node root = *store->loadNode(0);
        root.status = NodeStatus::Evaluated;
        root.results = {{"t0", 0.5}};
        root.score = 0.5;
        store->recordEvaluation(root);
        std::vector<Node> added;
        for (size_t i = 0; i < children.size(); ++i) {
            Node child = scoredNode(static_cast<int>(i) + 1, 0, {{"t0", children[i]}});
            child.commit = root.commit;
            fs::create_directories(folder.artifacts(child.id)); // as the worker makes it
            added.push_back(child);
        }
        store->insertNodes(added);
        nodes = store->loadNodes();
        nextId = nodes.back().id + 1;
        open(policy);
    }

    // As the engine opens the run: the pin and who reverted what are read from the store.
    void open(ReviewPolicy policy)
    {
        holds = std::make_unique<ReviewHolds>(
            folder, *store, config.manifest, policy, nodes,
            ReviewHolds::Coordinator{[this](const Node& node) { update(node); },
                                     [this](const RunEvent& event) { told.push_back(event); },
                                     [this] { return nextId++; }});
    }

    void update(const Node& node)
    {
        updated.push_back(node.id);
        const auto it = std::find_if(nodes.begin(), nodes.end(),
                                     [&](const Node& n) { return n.id == node.id; });
        if (it != nodes.end())
            *it = node;
        else
            nodes.push_back(node);
    }

    const Node& node(int id) const { return nodes.at(static_cast<size_t>(id)); }

    void setFlags(int id, unsigned flags)
    {
        store->setFlags(id, flags, "set by the test");
        nodes = store->loadNodes();
    }

    // Guard "latency" (lower is better) in the run's manifest, and each node's value of it
    // recorded as its evaluation would (by id; the root first).
    void guardLatency(const std::vector<double>& values)
    {
        config.manifest.guards = {
            GuardMetric{"latency", Direction::Minimize, std::nullopt, std::nullopt}};
        for (size_t id = 0; id < values.size(); ++id) {
            Node node = *store->loadNode(static_cast<int>(id));
            node.metrics["latency"] = values[id];
            store->recordEvaluation(node);
        }
        nodes = store->loadNodes();
    }

    // review.json of a node, as the review queue reads it ({} when there is none).
    nlohmann::json review(int id) const
    {
        const fs::path file = folder.artifacts(id) / "review.json";
        if (!fs::exists(file))
            return {};
        std::ifstream in(file);
        return nlohmann::json::parse(in);
    }
};

bool hasFinding(const std::vector<Finding>& findings, const std::string& detector)
{
    return std::any_of(findings.begin(), findings.end(),
                       [&](const Finding& f) { return f.detector == detector; });
}

bool hasScoreJump(const std::vector<Finding>& findings)
{
    return hasFinding(findings, "score-jump");
}

} // namespace

class TestReviewHolds : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Each expansion of a pin of `times` is saved at once, so a session that dies mid-pin
    // resumes with what is left; the last one unpins the node on the record.
    void aBranchPinCountsDownOnTheRecord()
    {
        HeldRun run({0.5, 0.5}, ReviewPolicy::Auto);
        QCOMPARE(run.holds->expansionParent(2), 2); // no pin: the strategy's choice

        run.store->setMeta("pin", pinMetaValue(Pin{1, 3}));
        run.setFlags(1, FlagPinned);
        run.open(ReviewPolicy::Auto);
        QCOMPARE(run.holds->expansionParent(2), 1);
        QCOMPARE(loadPin(*run.store)->remaining, 2);
        run.open(ReviewPolicy::Auto); // a new session goes on counting
        QCOMPARE(run.holds->expansionParent(0), 1);
        QCOMPARE(loadPin(*run.store)->remaining, 1);
        QVERIFY(run.told.empty());

        QCOMPARE(run.holds->expansionParent(2), 1); // the last one
        QVERIFY(!loadPin(*run.store).has_value());
        QVERIFY(!run.store->loadNode(1)->hasFlag(FlagPinned));
        QVERIFY(!run.node(1).hasFlag(FlagPinned)); // the coordinator's copy too
        QCOMPARE(run.updated, std::vector<int>{1});
        QCOMPARE(run.told.size(), size_t(1));
        QCOMPARE(run.told[0].kind, std::string(EventKind::FlagsChanged));
        QCOMPARE(run.told[0].nodeId, 1);
        QCOMPARE(run.holds->expansionParent(2), 2); // unpinned
    }

    // A pin "until unpinned" never counts down and never writes.
    void aPinUntilUnpinnedStays()
    {
        HeldRun run({0.5}, ReviewPolicy::Auto);
        run.store->setMeta("pin", pinMetaValue(Pin{1, -1}));
        run.setFlags(1, FlagPinned);
        run.open(ReviewPolicy::Auto);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(run.holds->expansionParent(0), 1);
        QCOMPARE(loadPin(*run.store)->remaining, -1);
        QVERIFY(run.told.empty());
    }

    // Every policy records the score jump where a person sees it; only one that asks holds
    // the keep: the node is held, neither kept nor reverted, and it and its clade blocked.
    void aScoreJumpIsRecordedAndHeldByPolicy_data()
    {
        QTest::addColumn<int>("policy");
        QTest::addColumn<bool>("held");
        QTest::newRow("auto") << int(ReviewPolicy::Auto) << false;
        QTest::newRow("ask-on-risk") << int(ReviewPolicy::AskOnRisk) << true;
        QTest::newRow("ask-always") << int(ReviewPolicy::AskAlways) << true;
    }
    void aScoreJumpIsRecordedAndHeldByPolicy()
    {
        QFETCH(int, policy);
        QFETCH(bool, held);
        HeldRun run({0.95}, static_cast<ReviewPolicy>(policy));
        run.setFlags(1, FlagKept); // a keep rule got there first
        Node grandchild = scoredNode(2, 1, {{"t0", 0.95}});
        grandchild.commit = run.node(1).commit;
        run.store->insertNode(grandchild);
        run.nodes = run.store->loadNodes();

        QCOMPARE(run.holds->holdRiskyKeep(run.node(1)), held);
        QVERIFY(hasScoreJump(loadFindings(run.folder.root, 1)));
        QCOMPARE(run.review(1).value("held", !held), held);
        const Node stored = *run.store->loadNode(1);
        QCOMPARE(stored.hasFlag(FlagHeld), held);
        QCOMPARE(stored.hasFlag(FlagKept), !held);
        QCOMPARE(run.node(1).flags, stored.flags);
        QCOMPARE(run.told.size(), size_t(held ? 1 : 0));
        QCOMPARE(run.updated.size(), size_t(held ? 1 : 0));
        QCOMPARE(run.holds->blocked(), (held ? std::set<int>{1, 2} : std::set<int>{}));
    }

    // A score in line with its parent's: nothing recorded, nothing held.
    void anOrdinaryScoreIsNotAJump()
    {
        HeldRun run({0.52}, ReviewPolicy::AskAlways);
        QVERIFY(!run.holds->holdRiskyKeep(run.node(1)));
        QVERIFY(run.review(1).is_null());
        QVERIFY(!run.store->loadNode(1)->hasFlag(FlagHeld));
        QVERIFY(run.told.empty());
    }

    // A score that rises a little (no jump) while the guard metric doubles: every policy
    // records the guard worsening where a person sees it; only one that asks holds the keep.
    void aGuardWorseningIsRecordedAndHeldByPolicy_data()
    {
        aScoreJumpIsRecordedAndHeldByPolicy_data();
    }
    void aGuardWorseningIsRecordedAndHeldByPolicy()
    {
        QFETCH(int, policy);
        QFETCH(bool, held);
        HeldRun run({0.55}, static_cast<ReviewPolicy>(policy));
        run.guardLatency({1.0, 2.0});
        run.setFlags(1, FlagKept);

        QCOMPARE(run.holds->holdRiskyKeep(run.node(1)), held);
        const auto findings = loadFindings(run.folder.root, 1);
        QCOMPARE(findings.size(), size_t(1));
        QCOMPARE(findings[0].detector, "guard-worsening");
        QVERIFY2(findings[0].message.find("latency 2 is 100% worse") != std::string::npos,
                 findings[0].message.c_str());
        QCOMPARE(run.review(1).value("held", !held), held);
        const Node stored = *run.store->loadNode(1);
        QCOMPARE(stored.hasFlag(FlagHeld), held);
        QCOMPARE(stored.hasFlag(FlagKept), !held);
        QCOMPARE(run.node(1).flags, stored.flags);
        QCOMPARE(run.told.size(), size_t(held ? 1 : 0));
        if (held)
            QVERIFY2(run.told[0].payload.dump().find("guard worsening held for review") !=
                         std::string::npos,
                     run.told[0].payload.dump().c_str());
        QCOMPARE(run.holds->blocked(), (held ? std::set<int>{1} : std::set<int>{}));
    }

    // Within review.guard_worsening, or with a score that does not rise, the keep is not
    // risky: nothing recorded, nothing held.
    void aGuardWithinTheFractionOrNoRiseIsNotHeld_data()
    {
        QTest::addColumn<double>("score");
        QTest::addColumn<double>("latency");
        QTest::newRow("latency 40% worse") << 0.55 << 1.4;
        QTest::newRow("score level") << 0.5 << 2.0;
        QTest::newRow("score down") << 0.45 << 2.0;
    }
    void aGuardWithinTheFractionOrNoRiseIsNotHeld()
    {
        QFETCH(double, score);
        QFETCH(double, latency);
        HeldRun run({score}, ReviewPolicy::AskOnRisk);
        run.guardLatency({1.0, latency});
        QVERIFY(!run.holds->holdRiskyKeep(run.node(1)));
        QVERIFY(run.review(1).is_null());
        QVERIFY(!run.store->loadNode(1)->hasFlag(FlagHeld));
        QVERIFY(run.told.empty());
    }

    // A score jump that also worsens a guard: both findings are recorded, the keep held once.
    void aJumpThatWorsensAGuardRecordsBoth()
    {
        HeldRun run({0.95}, ReviewPolicy::AskOnRisk);
        run.guardLatency({1.0, 3.0});
        QVERIFY(run.holds->holdRiskyKeep(run.node(1)));
        const auto findings = loadFindings(run.folder.root, 1);
        QVERIFY(hasScoreJump(findings));
        QVERIFY(hasFinding(findings, "guard-worsening"));
        QCOMPARE(run.told.size(), size_t(1));
    }

    // Decisions queued while the run is owned reach the coordinator when the inbox is
    // applied: its copy of the node, the events, who reverted what and so what is blocked.
    void theInboxReachesTheCoordinator()
    {
        HeldRun run({0.5, 0.5}, ReviewPolicy::Auto);
        Node grandchild = scoredNode(3, 1, {{"t0", 0.5}});
        grandchild.commit = run.node(1).commit;
        run.store->insertNode(grandchild);
        run.nodes = run.store->loadNodes();
        run.holds->updateBlocked();
        QVERIFY(run.holds->blocked().empty());
        run.holds->applyInbox(); // nothing queued: nothing happens
        QVERIFY(run.told.empty());
        {
            const RunLock owner(run.folder.root); // as if a search were running
            QVERIFY(!submitDecision(run.folder.root, {1, DecisionAction::Revert, "too good", {}})
                         .appliedNow);
            QVERIFY(!submitDecision(run.folder.root, {2, DecisionAction::Star, {}, {}}).appliedNow);
        }
        run.holds->applyInbox();
        QVERIFY(run.node(1).hasFlag(FlagReverted));
        QVERIFY(run.node(2).hasFlag(FlagStarred));
        QCOMPARE(run.holds->personReverted(), std::set<int>{1});
        QCOMPARE(run.holds->blocked(), (std::set<int>{1, 3})); // the clade of 1
        const auto decisions =
            std::count_if(run.told.begin(), run.told.end(),
                          [](const RunEvent& e) { return e.kind == EventKind::Decision; });
        QCOMPARE(int(decisions), 2);
        QVERIFY(run.store->pendingDecisions().empty());

        run.open(ReviewPolicy::Auto); // the next session reads the same from the store
        QCOMPARE(run.holds->personReverted(), std::set<int>{1});
        QCOMPARE(run.holds->blocked(), (std::set<int>{1, 3}));
    }

    // The strategy has nothing left: with nodes waiting for a person and time left the run
    // waits (and says so once); out of time it finishes and says how many still wait.
    void nothingLeftWaitsForReviewWhileTimeLasts()
    {
        HeldRun run({0.5}, ReviewPolicy::AskAlways);
        const std::string reason = "iteration budget spent";
        QCOMPARE(run.holds->finishOrWait(reason, true), std::optional<std::string>(reason));
        QVERIFY(!run.holds->waitingForReview());

        run.setFlags(1, FlagHeld);
        QCOMPARE(run.holds->finishOrWait(reason, true), std::optional<std::string>());
        QVERIFY(run.holds->waitingForReview());
        QCOMPARE(run.holds->finishOrWait(reason, true), std::optional<std::string>());
        QCOMPARE(run.holds->finishOrWait(reason, false),
                 std::optional<std::string>(reason + "; 1 node(s) still await review"));

        // A decision gives the strategy another look.
        {
            const RunLock owner(run.folder.root);
            submitDecision(run.folder.root, {1, DecisionAction::Note, "looking", {}});
        }
        run.holds->applyInbox();
        QVERIFY(!run.holds->waitingForReview());
    }
};

QTEST_GUILESS_MAIN(TestReviewHolds)
#include "tst_reviewholds.moc"
