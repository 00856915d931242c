// What a search strategy knows, shown in the explorer: islands' MAP-Elites grids (a dock
// whose cells select their elites) and island tags, hgm's clade estimate (inspector,
// tooltip and an optional colouring of the tree), dgm's evaluation stage. Each run is a
// real short search on the binpack example; screenshots are saved for a person to check.
#include "engine/review/Decisions.h"
#include "engine/run/RunCreator.h"
#include "engine/run/RunEngine.h"
#include "models/NodeSelection.h"
#include "models/RunFollower.h"
#include "models/RunSession.h"
#include "models/TreeScene.h"
#include "models/TreeSceneWorker.h"
#include "ui/EliteGridView.h"
#include "ui/MainWindow.h"
#include "ui/NodeInspector.h"
#include "ui/TreeFilterBar.h"
#include "ui/TreeView.h"

#include "support/Screenshot.h"

#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace clade;
namespace fs = std::filesystem;

namespace {

fs::path makeRun(const QTemporaryDir& dir, const std::string& strategy, const nlohmann::json& params,
                 int iterations)
{
    engine::RunSettings s;
    s.strategy = strategy;
    s.strategyParams = params;
    s.iterations = iterations;
    s.workers = 2;
    s.seed = 4;
    const fs::path run = engine::createRun(fs::path(CLADE_SOURCE_DIR) / "examples" / "binpack",
                                           dir.filePath(QString::fromStdString(strategy)).toStdString(), s);
    engine::RunEngine(run).run();
    return run;
}

QString strategyText(ui::MainWindow& window)
{
    auto* label = window.findChild<QLabel*>("strategyInsight");
    return label && label->isVisibleTo(&window) ? label->text() : QString();
}

std::shared_ptr<const models::TreeScene> openAndWait(ui::MainWindow& window, const fs::path& run)
{
    QSignalSpy shown(&window, &ui::MainWindow::runShown);
    QSignalSpy built(window.findChild<models::TreeSceneWorker*>(),
                     &models::TreeSceneWorker::sceneReady);
    window.resize(1500, 950);
    window.show();
    window.openRun(QString::fromStdString(run.string()));
    if (!shown.wait(10000))
        return nullptr;
    auto* tree = window.findChild<ui::TreeView*>("tree");
    // The first scene may come before the one built with the strategy's insight: look at
    // each scene as the window is given it (the window takes it before the spy sees it).
    while (!(tree->scene() && tree->scene()->insight()))
        if (!built.wait(10000))
            return nullptr;
    return tree->scene();
}

} // namespace

class TestStrategyViews : public QObject {
    Q_OBJECT
    QTemporaryDir m_config;
    QTemporaryDir m_runs;
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid() && m_runs.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
    }

    void islandsGridSelectsElites()
    {
        // Two feature dimensions binpack's score phase reports, so the grid has room.
        const nlohmann::json features = nlohmann::json::array(
            {{{"metric", "excess_percent"}, {"min", 4.5}, {"max", 6.5}, {"bins", 4}},
             {{"metric", "bins_used"}, {"min", 165}, {"max", 175}, {"bins", 5}}});
        const fs::path run = makeRun(m_runs, "islands", {{"islands", 3}, {"features", features}}, 8);
        ui::MainWindow window;
        const auto scene = openAndWait(window, run);
        QVERIFY(scene);
        const auto& grids = scene->insight()->elites;
        QVERIFY(grids);
        QCOMPARE(grids->grids.size(), std::size_t(3));

        auto* dock = window.findChild<QDockWidget*>("elitesDock");
        QVERIFY(dock && dock->isVisibleTo(&window));
        dock->raise();
        auto* view = window.findChild<ui::EliteGridView*>("elites");
        QVERIFY(view->hasGrids());
        auto* islandBox = view->findChild<QComboBox*>("eliteIsland");
        QVERIFY(islandBox->isVisibleTo(view)); // two dimensions: one island at a time
        QCOMPARE(islandBox->count(), 3);

        // Every elite of every island is drawn in a cell, and clicking it selects it.
        auto* canvas = view->canvas();
        auto* session = window.findChild<models::RunSession*>();
        int clicked = 0;
        for (int island = 0; island < 3; ++island) {
            islandBox->setCurrentIndex(island);
            QCoreApplication::processEvents();
            std::set<int> shown;
            for (int y = 2; y < canvas->height(); y += 4)
                for (int x = 2; x < canvas->width(); x += 4)
                    if (const int id = canvas->eliteAt({x, y}); id >= 0)
                        shown.insert(id);
            std::set<int> expected;
            for (const auto& [cell, id] : grids->grids[std::size_t(island)])
                expected.insert(id);
            QCOMPARE(shown, expected);
            for (int y = 2; y < canvas->height() && clicked <= island; y += 4)
                for (int x = 2; x < canvas->width() && clicked <= island; x += 4)
                    if (const int id = canvas->eliteAt({x, y}); id >= 0 && id != session->selection()->current()) {
                        QTest::mouseClick(canvas, Qt::LeftButton, {}, {x, y});
                        QTRY_COMPARE(session->selection()->current(), id);
                        ++clicked;
                    }
        }
        QVERIFY(clicked >= 1);
        const int current = session->selection()->current();
        const engine::NodeInsight* insight = scene->insightFor(current);
        QVERIFY(insight && !insight->eliteOf.empty());
        QTRY_VERIFY2(strategyText(window).contains("elite of island"), qPrintable(strategyText(window)));
        QVERIFY(strategyText(window).contains("excess_percent"));
        islandBox->setCurrentIndex(insight->eliteOf.front());
        QVERIFY(!testsupport::saveScreenshot(window, "strategy-islands.png").isEmpty());
    }

    void hgmColoursByCladeEstimate()
    {
        const fs::path run = makeRun(m_runs, "hgm", nlohmann::json::object(), 5);
        ui::MainWindow window;
        const auto scene = openAndWait(window, run);
        QVERIFY(scene);
        QVERIFY(scene->insight()->hasCladeEstimates());
        QCOMPARE(int(scene->colorBy()), int(models::ColorBy::Score));
        auto* dock = window.findChild<QDockWidget*>("elitesDock");
        QVERIFY(!dock->isVisibleTo(&window)); // no grids in an hgm run

        auto* colorBy = window.findChild<QComboBox*>("colorBy");
        QVERIFY(colorBy && colorBy->isVisibleTo(&window));
        colorBy->setCurrentIndex(colorBy->findData(int(models::ColorBy::CladeEstimate)));
        auto* tree = window.findChild<ui::TreeView*>("tree");
        QTRY_COMPARE(int(tree->scene()->colorBy()), int(models::ColorBy::CladeEstimate));
        const auto coloured = tree->scene();
        // The brightest node heads the most promising clade; the key follows the estimate.
        double best = -1;
        int bestId = -1;
        for (const auto& [id, entry] : coloured->insight()->nodes)
            if (entry.cladeEstimate && *entry.cladeEstimate > best)
                best = *entry.cladeEstimate, bestId = id;
        QVERIFY(bestId >= 0);
        const auto& node = coloured->node(coloured->indexOf(bestId));
        QCOMPARE(node.colorClass, models::ColorClass::Scored);
        QCOMPARE(node.colorKey, 1.f);
        QCOMPARE(coloured->colorBest(), best);

        window.findChild<models::RunSession*>()->selection()->setCurrent(0);
        QTRY_VERIFY2(strategyText(window).contains("clade estimate"), qPrintable(strategyText(window)));
        QVERIFY(!testsupport::saveScreenshot(window, "strategy-hgm.png").isEmpty());
    }

    // A person's revert takes the node's clade out of hgm's estimates in the window too, as
    // the engine takes it out of its own choices; the window sees the decision live.
    void hgmLeavesOutWhatAPersonReverted()
    {
        QTemporaryDir dir;
        const fs::path run = makeRun(dir, "hgm", nlohmann::json::object(), 5);
        ui::MainWindow window;
        const auto scene = openAndWait(window, run);
        QVERIFY(scene);
        const engine::NodeInsight* root = scene->insightFor(0);
        QVERIFY(root && root->cladeEstimate);
        const int pooledBefore = root->cladeNodes;
        int reverted = -1;
        for (const auto& node : scene->nodes())
            if (node.id != 0 && scene->insightFor(node.id) && scene->insightFor(node.id)->cladeEstimate)
                reverted = node.id;
        QVERIFY2(reverted > 0, "the run needs an evaluated child with an estimate");

        engine::DecisionRequest revert;
        revert.nodeId = reverted;
        revert.action = engine::DecisionAction::Revert;
        QVERIFY(engine::submitDecision(run, revert).appliedNow);

        auto* tree = window.findChild<ui::TreeView*>("tree");
        QTRY_VERIFY_WITH_TIMEOUT(!tree->scene()->insightFor(reverted), 5000);
        const engine::NodeInsight* rootAfter = tree->scene()->insightFor(0);
        QVERIFY(rootAfter);
        QVERIFY2(rootAfter->cladeNodes < pooledBefore,
                 qPrintable(QString("%1 -> %2").arg(pooledBefore).arg(rootAfter->cladeNodes)));
    }

    void dgmShowsStages()
    {
        // Stages of 2 and 3 tasks before the rest of binpack's 8.
        const fs::path run = makeRun(m_runs, "dgm", {{"stage_tasks", {2, 3}}}, 4);
        ui::MainWindow window;
        const auto scene = openAndWait(window, run);
        QVERIFY(scene);
        QCOMPARE(scene->insight()->stageEnds, (std::vector<int>{2, 5, 8}));
        const engine::NodeInsight* root = scene->insightFor(0);
        QVERIFY(root);
        QCOMPARE(root->stage, 3); // the root is evaluated on every task at once
        auto* colorBy = window.findChild<QComboBox*>("colorBy");
        QVERIFY(!colorBy->isVisibleTo(&window));
        window.findChild<models::RunSession*>()->selection()->setCurrent(1);
        QTRY_VERIFY2(strategyText(window).contains(QRegularExpression("stage [1-3] of 3")),
                     qPrintable(strategyText(window)));
        QVERIFY(!testsupport::saveScreenshot(window, "strategy-dgm.png").isEmpty());
    }

    void sicaShowsNoStrategyBox()
    {
        const fs::path run = makeRun(m_runs, "sica", nlohmann::json::object(), 1);
        ui::MainWindow window;
        QSignalSpy shown(&window, &ui::MainWindow::runShown);
        window.show();
        window.openRun(QString::fromStdString(run.string()));
        QVERIFY(shown.wait(10000));
        auto* tree = window.findChild<ui::TreeView*>("tree");
        QTRY_VERIFY(tree->scene() && tree->scene()->size() == 2);
        QVERIFY(!tree->scene()->insight());
        // Selecting a node shows what the strategy knows at once; the last of what it sets
        // off is the node's details, read off the GUI thread. Once they are shown, nothing
        // more is coming that could fill the strategy's box.
        auto* session = window.findChild<models::RunSession*>();
        QSignalSpy details(session->follower(), &models::RunFollower::detailsRead);
        session->selection()->setCurrent(1);
        const auto detailsOfOne = [&] {
            for (const auto& args : details)
                if (args.at(0).value<models::NodeDetailsPtr>()->nodeId == 1)
                    return true;
            return false;
        };
        while (!detailsOfOne())
            QVERIFY(details.wait(10000));
        QCOMPARE(strategyText(window), QString());
        QVERIFY(!window.findChild<QDockWidget*>("elitesDock")->isVisibleTo(&window));
    }
};

QTEST_MAIN(TestStrategyViews)
#include "tst_strategyviews.moc"
