// The explorer window end to end, offscreen: open a run the test builds, select a node and
// see it in the inspector; a node another writer commits appears without a reload; a
// screenshot is saved for a person to look at.
#include "engine/run/RunCreator.h"
#include "engine/run/RunEngine.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"
#include "models/NodeListModel.h"
#include "models/NodeSelection.h"
#include "models/RunSession.h"
#include "ui/MainWindow.h"
#include "support/Screenshot.h"
#include "ui/NodeInspector.h"
#include "ui/ScoreChart.h"
#include "ui/TreeView.h"
#include "ui/DiffView.h"
#include "models/TreeScene.h"

#include <QScatterSeries>

#include <QAction>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace clade;
namespace fs = std::filesystem;

namespace {

fs::path makeRun(const QTemporaryDir& dir, int iterations)
{
    engine::RunSettings s;
    s.iterations = iterations;
    s.workers = 2;
    s.seed = 3;
    const fs::path run = engine::createRun(fs::path(CLADE_SOURCE_DIR) / "examples" / "binpack",
                                           dir.filePath("run").toStdString(), s);
    engine::RunEngine(run).run();
    return run;
}

QString labelsText(QWidget* root)
{
    QStringList texts;
    for (auto* label : root->findChildren<QLabel*>())
        if (label->isVisibleTo(root))
            texts << label->text();
    return texts.join("\n");
}


} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
    QTemporaryDir m_config;
private Q_SLOTS:
    void initTestCase()
    {
        // Recent runs go to QSettings: keep the tests out of the user's own settings.
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
        qputenv("XDG_CACHE_HOME", m_config.path().toLocal8Bit()); // imports opened on the fly
    }

    void welcomePageListsRecentRuns()
    {
        QTemporaryDir dir;
        const fs::path run = makeRun(dir, 1);
        {
            ui::MainWindow window; // opening a run records it
            QSignalSpy shown(&window, &ui::MainWindow::runShown);
            window.openRun(QString::fromStdString(run.string()));
            QVERIFY(shown.wait(10000));
        }
        ui::MainWindow window;
        window.resize(1200, 800);
        window.show();
        auto* recent = window.findChild<QListWidget*>("recentRuns");
        QVERIFY(recent && recent->isVisible());
        QCOMPARE(recent->count(), 1);
        QCOMPARE(recent->item(0)->text(), QString::fromStdString(run.string()));
        QVERIFY(!testsupport::saveScreenshot(window, "tst_mainwindow_welcome.png").isEmpty());
        // Choosing it opens it.
        QSignalSpy shown(&window, &ui::MainWindow::runShown);
        Q_EMIT recent->itemActivated(recent->item(0));
        QVERIFY(shown.wait(10000));
        QVERIFY(!recent->isVisible());
    }

    void opensSelectsAndFollows()
    {
        QTemporaryDir dir;
        const fs::path run = makeRun(dir, 6);
        ui::MainWindow window;
        window.resize(1500, 950);
        window.show();
        QSignalSpy shown(&window, &ui::MainWindow::runShown);
        window.openRun(QString::fromStdString(run.string()));
        QVERIFY(shown.wait(10000));
        auto* session = window.session();
        QCOMPARE(session->nodes()->rowCount(), 7);

        // Select node 3 through the node table, as a user would.
        auto* table = window.findChild<QTableView*>("nodeTable");
        QVERIFY(table);
        const engine::Node* three = session->nodes()->node(3);
        QVERIFY(three);
        window.selectNode(3);
        QCOMPARE(session->selection()->current(), 3);
        auto* inspector = window.findChild<ui::NodeInspector*>("inspector");
        QCOMPARE(inspector->nodeId(), 3);
        // New form rows are shown by a queued event, hence the QTRY.
        QTRY_VERIFY2(labelsText(inspector).contains("Node #3"), qPrintable(labelsText(inspector)));
        QTRY_VERIFY2(labelsText(inspector).contains(QString::fromStdString(three->description)),
                     qPrintable(labelsText(inspector)));
        QTRY_VERIFY2(labelsText(inspector).contains(QString::fromStdString(three->commit.substr(0, 12))),
                     qPrintable(labelsText(inspector)));
        QTRY_VERIFY(labelsText(inspector).contains("No decisions or notes yet."));
        QCOMPARE(table->selectionModel()->currentIndex().data(models::NodeIdRole).toInt(), 3);

        // Clicking a row selects that node everywhere.
        const QModelIndex rowFive = table->model()->index(5, 0);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(rowFive).center());
        QCOMPARE(session->selection()->current(), 5);
        QCOMPARE(inspector->nodeId(), 5);

        // The tree shows every node; clicking one selects it everywhere, diff included.
        auto* tree = window.findChild<ui::TreeView*>("tree");
        QVERIFY(tree);
        QTRY_VERIFY(tree->scene() && tree->scene()->size() == 7);
        auto* diff = window.findChild<ui::DiffView*>("diff");
        QSignalSpy diffShown(diff, &ui::DiffView::diffShown);
        tree->centerOnNode(4); // node 4 is now under the viewport's centre
        QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->viewport()->rect().center());
        QCOMPARE(session->selection()->current(), 4);
        QCOMPARE(inspector->nodeId(), 4);
        QVERIFY(diffShown.wait(5000) || diff->result());
        // The chart has one point per evaluated node.
        auto* chart = window.findChild<ui::ScoreChart*>("chart");
        int evaluated = 0;
        for (const auto& n : session->nodes()->nodes())
            evaluated += n.status == engine::NodeStatus::Evaluated;
        chart->refresh();
        QCOMPARE(chart->scoreSeries()->count(), evaluated);

        // Another writer commits nodes: each shows in the tree without reopening (how soon:
        // bench_follow_latency).
        {
            engine::RunStore writer(engine::RunFolder{run}.database());
            for (int id = 7; id < 17; ++id) {
                engine::Node node;
                node.id = id;
                node.parents = {id == 7 ? 5 : id - 1};
                node.description = "written elsewhere";
                node.createdAt = node.updatedAt = engine::unixNow();
                writer.insertNode(node);
                QTRY_VERIFY_WITH_TIMEOUT(tree->scene()->indexOf(id) >= 0, 10000);
            }
        }
        QCOMPARE(session->nodes()->rowCount(), 17);
        QCOMPARE(session->nodes()->node(7)->description, std::string("written elsewhere"));
        QVERIFY(!testsupport::saveScreenshot(window, "tst_mainwindow.png").isEmpty());
    }

    // A run started from the window (as `clade demo` does) grows in the tree while the
    // engine works on its own threads, and the status bar counts it.
    void runsADemoInTheWindow()
    {
        QTemporaryDir dir;
        ui::MainWindow window;
        window.resize(1500, 950);
        window.show();
        auto* session = window.session();
        QSignalSpy ended(session, &models::RunSession::engineEnded);
        engine::RunSettings s;
        s.iterations = 6;
        s.workers = 2;
        s.seed = 2;
        session->startNew(QString(CLADE_SOURCE_DIR) + "/examples/binpack", dir.filePath("run"), s);
        QTRY_COMPARE_WITH_TIMEOUT(int(session->owner()), int(models::RunSession::Owner::ThisWindow), 10000);
        QVERIFY(ended.wait(120000));
        QCOMPARE(ended.at(0).at(0).value<engine::RunOutcome::Status>(),
                 engine::RunOutcome::Status::Finished);
        auto* tree = window.findChild<ui::TreeView*>("tree");
        QTRY_VERIFY_WITH_TIMEOUT(tree->scene() && tree->scene()->size() == 7, 5000);
        auto* progress = window.findChild<QProgressBar*>("iterationProgress");
        QVERIFY(progress);
        QTRY_COMPARE(progress->text(), QString("6 / 6 children"));
        QCOMPARE(int(session->owner()), int(models::RunSession::Owner::None));
        QVERIFY(!testsupport::saveScreenshot(window, "tst_mainwindow_demo.png").isEmpty());
    }

    // The window tells the ends of a run apart by the engine's status, not by its words: bad
    // input and failures stay in the problem banner, a finished or stopped run passes in the
    // status bar. The message is the person's and is shown as it came.
    void reactsToHowTheRunEnded_data()
    {
        using Status = engine::RunOutcome::Status;
        QTest::addColumn<Status>("status");
        QTest::addColumn<bool>("banner");
        QTest::addColumn<QString>("shown");
        QTest::newRow("finished") << Status::Finished << false << "Run finished: all went well";
        QTest::newRow("stopped") << Status::Stopped << false << "Run stopped: all went well";
        QTest::newRow("input error") << Status::InputError << true
                                     << "The run stopped on bad input: all went well";
        QTest::newRow("failed") << Status::Failed << true << "The run failed: all went well";
    }

    void reactsToHowTheRunEnded()
    {
        QFETCH(engine::RunOutcome::Status, status);
        QFETCH(bool, banner);
        QFETCH(QString, shown);
        ui::MainWindow window;
        window.show();
        auto* problem = window.findChild<QLabel*>("problemBanner");
        QVERIFY(problem && !problem->isVisibleTo(&window));
        Q_EMIT window.session()->engineEnded(status, "all went well");
        QCOMPARE(problem->isVisibleTo(&window), banner);
        if (banner)
            QCOMPARE(problem->text(), shown);
        QCOMPARE(window.statusBar()->currentMessage(), shown);
    }

    // The same end to end: settings the engine refuses end the run as an input error, and
    // the window shows why in the banner.
    void showsARunRefusedForBadInput()
    {
        QTemporaryDir dir;
        ui::MainWindow window;
        window.show();
        auto* session = window.session();
        QSignalSpy ended(session, &models::RunSession::engineEnded);
        engine::RunSettings s;
        s.workers = 0;
        session->startNew(QString(CLADE_SOURCE_DIR) + "/examples/binpack", dir.filePath("run"), s);
        QVERIFY(ended.wait(30000));
        QCOMPARE(ended.at(0).at(0).value<engine::RunOutcome::Status>(),
                 engine::RunOutcome::Status::InputError);
        auto* problem = window.findChild<QLabel*>("problemBanner");
        QVERIFY(problem && problem->isVisibleTo(&window));
        QVERIFY2(problem->text().startsWith("The run stopped on bad input: --workers"),
                 qPrintable(problem->text()));
    }

    void reportsAFolderThatIsNoRun()
    {
        QTemporaryDir dir;
        ui::MainWindow window;
        window.show();
        QSignalSpy problem(window.session(), &models::RunSession::problem);
        window.openRun(dir.path());
        QVERIFY(problem.wait(5000));
        auto* banner = window.findChild<QLabel*>("problemBanner");
        QVERIFY(banner && banner->isVisible());
        QVERIFY2(banner->text().contains(dir.path()), qPrintable(banner->text()));
    }

    // Last: it adds an entry to the recent runs that welcomePageListsRecentRuns counts.
    // Another system's run opens directly: imported on the fly, its origin and integrity
    // warnings shown above the tree, Start disabled (it cannot be resumed).
    void opensAnImportedRun()
    {
        ui::MainWindow window;
        window.resize(1400, 900);
        window.show();
        QSignalSpy shown(&window, &ui::MainWindow::runShown);
        window.openRun(QString(CLADE_SOURCE_DIR) + "/tests/fixtures/import/aide");
        QVERIFY(shown.wait(15000));
        auto* notice = window.findChild<QLabel*>("importNotice");
        QTRY_VERIFY(notice && notice->isVisible());
        QVERIFY2(notice->text().contains("<b>aide</b>") && notice->text().contains("integrity warning"),
                 qPrintable(notice->text()));
        QVERIFY(notice->text().contains("gone9"));
        auto* tree = window.findChild<ui::TreeView*>("tree");
        QTRY_VERIFY(tree->scene() && tree->scene()->size() == 8);
        auto* start = window.findChild<QAction*>("resumeRun");
        QVERIFY(start && !start->isEnabled());
        QVERIFY(!testsupport::saveScreenshot(window, "imported-aide.png").isEmpty());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
