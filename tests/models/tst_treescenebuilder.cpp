// TreeSceneBuilder marks as best the node the engine names (engine::runBest), not the
// highest score in sight: a keep held for review, a node built on one and a node scored on
// part of the tasks are not the run's best, in the tree as in `clade status`.
#include "models/TreeSceneWorker.h"
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
};

QTEST_GUILESS_MAIN(TestTreeSceneBuilder)
#include "tst_treescenebuilder.moc"
