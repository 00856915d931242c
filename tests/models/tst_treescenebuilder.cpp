// TreeSceneBuilder marks as best the node the engine names (engine::runBest), not the
// highest score in sight: a keep held for review, a node built on one and a node scored on
// part of the tasks are not the run's best, in the tree as in `clade status`.
// A node failing the run's guards carries the guard mark and is never the best.
#include "engine/eval/GuardCheck.h"
#include "engine/run/RunFacts.h"
#include "models/TreeSceneWorker.h"
#include "support/GuardedRun.h"
#include "support/SyntheticNodes.h"

#include <QSignalSpy>
#include <QtTest>

using namespace clade;
using testsupport::scoredNode;

class TestTreeSceneBuilder : public QObject {
    Q_OBJECT

    static std::shared_ptr<const models::TreeScene> sceneOf(const models::RunData& data)
    {
        models::TreeSceneBuilder builder;
        QSignalSpy ready(&builder, &models::TreeSceneBuilder::sceneReady);
        builder.reset(std::make_shared<const models::RunData>(data));
        if (ready.isEmpty() && !ready.wait(10000))
            return nullptr;
        return ready.takeFirst().at(0).value<std::shared_ptr<const models::TreeScene>>();
    }

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<std::shared_ptr<const models::TreeScene>>(); }

    void bestIsTheEnginesBest()
    {
        models::RunData data;
        data.config.manifest.tasks = {"a", "b"};
        data.nodes = {
            scoredNode(0, -1, {{"a", 0.5}, {"b", 0.5}}),
            scoredNode(1, 0, {{"a", 0.9}, {"b", 0.9}}, engine::FlagHeld), // a jump held
            scoredNode(2, 0, {{"a", 0.7}, {"b", 0.7}}),
            scoredNode(3, 1, {{"a", 0.95}, {"b", 0.95}}), // built on the held keep
            scoredNode(4, 2, {{"a", 0.99}}),              // on one task of two
        };
        const auto expected = engine::runBest(data.nodes, data.config, data.personReverted);
        QCOMPARE(expected, std::optional<int>(2));

        const auto scene = sceneOf(data);
        QVERIFY(scene);
        QCOMPARE(scene->bestId(), 2);
        QVERIFY(scene->node(scene->indexOf(2)).has(models::MarkBest));
        QVERIFY(!scene->node(scene->indexOf(1)).has(models::MarkBestPath));

        // A person reverts 2 (the engine flags it and blocks its clade): the best falls
        // back to the root, in the tree too.
        data.nodes[2].flags |= engine::FlagReverted;
        data.personReverted = {2};
        QCOMPARE(engine::runBest(data.nodes, data.config, data.personReverted), std::optional<int>(0));
        QCOMPARE(sceneOf(data)->bestId(), 0);
    }

    // A node failing the run's guards carries the mark and says why (the engine's words);
    // one that passes, or is not scored yet, does not; and the best is never one of them.
    void guardFailuresAreMarked()
    {
        const testsupport::GuardedRun run = testsupport::guardedRun();
        models::RunData data;
        data.config = run.config;
        data.nodes = run.nodes;
        const auto scene = sceneOf(data);
        QVERIFY(scene);
        QVERIFY(scene->hasGuards());
        for (const engine::Node& node : run.nodes) {
            const bool fails = node.id == run.pastLimit || node.id == run.regressed;
            const auto& marked = scene->node(scene->indexOf(node.id));
            QVERIFY2(marked.has(models::MarkGuardFailed) == fails, qPrintable(QString::number(node.id)));
            const auto report = engine::checkGuards(run.config.manifest.guards, node, run.nodes);
            QCOMPARE(std::string(scene->guardFailures(node.id)), report.failures());
            QCOMPARE(report.failed(), fails);
        }
        QVERIFY(scene->guardFailures(run.regressed).find("p95_latency_ms") != std::string_view::npos);
        // Node 4 has the top score but is past a limit: the best is 6, as the engine says.
        QCOMPARE(scene->bestId(), run.best);
        QCOMPARE(engine::runBest(run.nodes, run.config, {}), std::optional<int>(run.best));
        QVERIFY(!scene->node(scene->indexOf(run.pastLimit)).has(models::MarkBest));
        // The root's clade's best descendant passes its guards too.
        QCOMPARE(scene->rollup(scene->indexOf(0)).bestId, run.best);

        // Without guards in the run nothing is marked and the top score is the best.
        data.config.manifest.guards.clear();
        const auto unguarded = sceneOf(data);
        QVERIFY(!unguarded->hasGuards());
        for (const auto& node : unguarded->nodes())
            QVERIFY(!node.has(models::MarkGuardFailed));
        QCOMPARE(unguarded->bestId(), run.pastLimit);
    }

    // A scene of bare nodes (no run config, no best given) judges its best by the guards
    // it is given: never a node that fails them.
    void bareSceneBestPassesGuards()
    {
        const testsupport::GuardedRun run = testsupport::guardedRun();
        models::TreeSceneOptions options;
        options.guards = run.config.manifest.guards;
        const auto scene = models::TreeScene::build(run.nodes, options);
        QCOMPARE(scene->bestId(), run.best);
        QVERIFY(scene->node(scene->indexOf(run.regressed)).has(models::MarkGuardFailed));
    }
};

QTEST_GUILESS_MAIN(TestTreeSceneBuilder)
#include "tst_treescenebuilder.moc"
