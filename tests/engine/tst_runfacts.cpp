// The run's facts (engine/run/RunFacts.h) that the engine, `clade status`, the headless
// summary and every window state alike: which node waits for review, which is the best,
// and the progress counts. The best is data-driven over small trees.
#include "engine/run/RunFacts.h"

#include "support/SyntheticNodes.h"

#include <QtTest>

using namespace clade::engine;
using testsupport::scoredNode;

namespace {

const std::vector<std::string> kTasks{"a", "b", "c"};

RunConfig configOf(Direction direction = Direction::Maximize)
{
    RunConfig config;
    config.manifest.tasks = kTasks;
    config.manifest.direction = direction;
    config.settings.iterations = 10;
    config.settings.maxTaskEvaluations = 30;
    return config;
}

// A node scored `value` on every task (or on task "a" only), child of `parent`.
Node scored(int id, int parent, double value, unsigned flags = 0, bool everyTask = true)
{
    std::map<std::string, double> results{{"a", value}};
    if (everyTask)
        results = {{"a", value}, {"b", value}, {"c", value}};
    return scoredNode(id, parent, results, flags);
}

Node unscored(int id, int parent, NodeStatus status)
{
    Node n;
    n.id = id;
    n.parents = {parent};
    n.status = status;
    return n;
}

} // namespace

Q_DECLARE_METATYPE(clade::engine::Node)
Q_DECLARE_METATYPE(std::vector<clade::engine::Node>)
Q_DECLARE_METATYPE(std::set<int>)

class TestRunFacts : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void waitsForReview_data()
    {
        QTest::addColumn<Node>("node");
        QTest::addColumn<bool>("waits");
        QTest::newRow("proposal awaiting approval") << unscored(1, 0, NodeStatus::AwaitingApproval) << true;
        QTest::newRow("keep held after a score jump") << scored(1, 0, 0.9, FlagHeld) << true;
        QTest::newRow("kept") << scored(1, 0, 0.9, FlagKept) << false;
        QTest::newRow("proposed") << unscored(1, 0, NodeStatus::Proposed) << false;
        QTest::newRow("rejected") << unscored(1, 0, NodeStatus::Rejected) << false;
    }

    void waitsForReview()
    {
        QFETCH(Node, node);
        QFETCH(bool, waits);
        QCOMPARE(clade::engine::waitsForReview(node), waits);
    }

    void best_data()
    {
        QTest::addColumn<std::vector<Node>>("nodes");
        QTest::addColumn<std::set<int>>("personReverted");
        QTest::addColumn<int>("expected"); // -1: none

        QTest::newRow("highest score")
            << std::vector<Node>{scored(0, -1, 0.5), scored(1, 0, 0.6), scored(2, 0, 0.7, FlagKept)}
            << std::set<int>{} << 2;
        // A person has not accepted the jump yet: the node is not kept, so not the best.
        QTest::newRow("a held keep is not the best")
            << std::vector<Node>{scored(0, -1, 0.5), scored(1, 0, 0.6), scored(2, 0, 0.9, FlagHeld)}
            << std::set<int>{} << 1;
        QTest::newRow("nor is anything built on it")
            << std::vector<Node>{scored(0, -1, 0.5), scored(1, 0, 0.9, FlagHeld), scored(2, 1, 0.95)}
            << std::set<int>{} << 0;
        QTest::newRow("approved, the held node is the best again")
            << std::vector<Node>{scored(0, -1, 0.5), scored(1, 0, 0.9, FlagKept), scored(2, 1, 0.95)}
            << std::set<int>{} << 2;
        QTest::newRow("a proposal awaiting approval has no score")
            << std::vector<Node>{scored(0, -1, 0.5), unscored(1, 0, NodeStatus::AwaitingApproval)}
            << std::set<int>{} << 0;
        // `clade revert`: "stop building on 7 and its clade; the best falls back".
        QTest::newRow("a clade a person reverted")
            << std::vector<Node>{scored(0, -1, 0.5), scored(1, 0, 0.6, FlagReverted), scored(2, 1, 0.9)}
            << std::set<int>{1} << 0;
        QTest::newRow("a strategy's revert leaves the clade")
            << std::vector<Node>{scored(0, -1, 0.5), scored(1, 0, 0.6, FlagReverted), scored(2, 1, 0.9)}
            << std::set<int>{} << 2;
        QTest::newRow("every task before part of them")
            << std::vector<Node>{scored(0, -1, 0.5), scored(1, 0, 0.9, 0, false)} << std::set<int>{} << 0;
        QTest::newRow("part of them when no node has every task")
            << std::vector<Node>{scored(0, -1, 0.5, 0, false), scored(1, 0, 0.9, 0, false)}
            << std::set<int>{} << 1;
        QTest::newRow("nothing scored")
            << std::vector<Node>{unscored(0, -1, NodeStatus::Evaluating)} << std::set<int>{} << -1;
    }

    void best()
    {
        QFETCH(std::vector<Node>, nodes);
        QFETCH(std::set<int>, personReverted);
        QFETCH(int, expected);
        const RunConfig config = configOf();
        QCOMPARE(runBest(nodes, config, personReverted).value_or(-1), expected);
        const RunProgress p = storedProgress(nodes, config, personReverted, 0);
        QCOMPARE(p.bestId.value_or(-1), expected);
        if (expected >= 0)
            QCOMPARE(p.bestScore, nodes[size_t(expected)].score);
    }

    void bestFollowsTheDirection()
    {
        const std::vector<Node> nodes{scored(0, -1, 0.5), scored(1, 0, 0.6), scored(2, 0, 0.2, FlagHeld)};
        QCOMPARE(runBest(nodes, configOf(Direction::Minimize), {}).value_or(-1), 0);
    }

    void progressCountsTheStoredNodes()
    {
        Node evaluating = unscored(5, 1, NodeStatus::Evaluating);
        evaluating.results = {{"a", 1.0}}; // a task recorded before the rest runs
        Node proposed = unscored(6, 1, NodeStatus::Proposed);
        proposed.proposer.cost = 0.25;
        const std::vector<Node> nodes{scored(0, -1, 0.5),
                                      scored(1, 0, 0.6, FlagKept),
                                      scored(2, 1, 0.9, FlagHeld),
                                      unscored(3, 0, NodeStatus::AwaitingApproval),
                                      unscored(4, 0, NodeStatus::Failed),
                                      evaluating,
                                      proposed};
        const RunProgress p = storedProgress(nodes, configOf(), {}, 12.0);
        QCOMPARE(p.children, 6);
        QCOMPARE(p.iterationBudget, 10);
        QCOMPARE(p.evaluated, 3);
        QCOMPARE(p.failed, 1);
        QCOMPARE(p.running, 1);
        QCOMPARE(p.queued, 1);
        QCOMPARE(p.awaitingReview, 2);
        QCOMPARE(countWaitingForReview(nodes), 2);
        QCOMPARE(p.taskEvaluations, 10);
        QCOMPARE(p.taskEvaluationBudget, 30);
        QCOMPARE(p.elapsedSeconds, 12.0);
        QCOMPARE(p.costUsed, 0.25);
        QCOMPARE(p.rootScore.value_or(-1), 0.5);
        QCOMPARE(p.bestId.value_or(-1), 1);
        QCOMPARE(p.bestScore.value_or(-1), 0.6);
    }
};

QTEST_GUILESS_MAIN(TestRunFacts)
#include "tst_runfacts.moc"
