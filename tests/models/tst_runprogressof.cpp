// The explorer's run progress for a run it watches from outside: counts, and the best node
// by the engine's rule (not reverted; scored on every task unless no node is), so the
// status bar names the node `clade status` names.
#include "models/RunProgressOf.h"

#include "support/SyntheticNodes.h"

#include <QtTest>

using namespace clade::engine;


class TestRunProgressOf : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void bestFollowsTheEngine()
    {
        RunConfig config;
        config.manifest.tasks = {"a", "b", "c"};
        config.manifest.direction = Direction::Maximize;
        std::vector<Node> nodes = {testsupport::scoredNode(0, -1, {{"a", 0.5}, {"b", 0.5}, {"c", 0.5}}),
                                   testsupport::scoredNode(1, 0, {{"a", 0.6}, {"b", 0.6}, {"c", 0.6}}),
                                   testsupport::scoredNode(2, 0, {{"a", 0.9}}), // one task
                                   testsupport::scoredNode(3, 0, {{"a", 0.8}, {"b", 0.8}, {"c", 0.8}}, FlagReverted)};
        Node proposed;
        proposed.id = 4;
        proposed.parents = {1};
        proposed.status = NodeStatus::Proposed;
        nodes.push_back(proposed);

        const RunProgress p = clade::models::runProgressOf(nodes, config, 12.0);
        QCOMPARE(p.bestId.value_or(-1), 1);
        QCOMPARE(p.bestScore.value_or(-1), 0.6);
        QCOMPARE(p.rootScore.value_or(-1), 0.5);
        QCOMPARE(p.evaluated, 4);
        QCOMPARE(p.queued, 1);
        QCOMPARE(p.children, 4);

        config.manifest.direction = Direction::Minimize;
        QCOMPARE(clade::models::runProgressOf(nodes, config, 0).bestId.value_or(-1), 0);
    }
};

QTEST_GUILESS_MAIN(TestRunProgressOf)
#include "tst_runprogressof.moc"
