// RunFollower + NodeListModel: a run opens off the GUI thread, and changes written by
// another connection (another process, as far as SQLite is concerned) or by the in-process
// engine reach the model without a reload. How soon they do is bench_follow_latency's.
#include "engine/review/Decisions.h"
#include "engine/run/RunCreator.h"
#include "engine/run/RunEngine.h"
#include "engine/run/SandboxWarning.h"
#include "engine/sandbox/Sandbox.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"
#include "models/EngineController.h"
#include "models/NodeListModel.h"
#include "models/RunFollower.h"

#include <QAbstractItemModelTester>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace clade;
namespace fs = std::filesystem;

namespace {

fs::path example()
{
    return fs::path(CLADE_SOURCE_DIR) / "examples" / "binpack";
}

engine::RunSettings settings(int iterations)
{
    engine::RunSettings s;
    s.iterations = iterations;
    s.workers = 2;
    s.seed = 5;
    return s;
}

// Keeps the model fed by the follower, as the main window does.
struct Explorer {
    models::RunFollower follower;
    models::NodeListModel model;
    QAbstractItemModelTester tester{&model, QAbstractItemModelTester::FailureReportingMode::QtTest};
    Explorer()
    {
        QObject::connect(&follower, &models::RunFollower::opened, &model,
                         [this](const models::RunDataPtr& data) { model.setNodes(data->nodes); });
        QObject::connect(&follower, &models::RunFollower::nodesChanged, &model,
                         [this](const models::NodeBatchPtr& batch) { model.applyChanges(batch->nodes); });
    }
};

} // namespace

class TestRunFollower : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensAndFollowsAnotherWriter()
    {
        QTemporaryDir dir;
        const fs::path run = engine::createRun(example(), dir.filePath("run").toStdString(), settings(5));
        Explorer explorer;
        QSignalSpy opened(&explorer.follower, &models::RunFollower::opened);
        explorer.follower.open(QString::fromStdString(run.string()));
        QVERIFY(opened.wait(5000));
        QCOMPARE(explorer.model.rowCount(), 1);
        const auto data = opened.at(0).at(0).value<models::RunDataPtr>();
        QCOMPARE(data->config.settings.seed, std::uint64_t(5));
        QCOMPARE(data->ownerPid, 0);

        // A writer on its own connection, as a headless `clade run` would be.
        engine::RunStore writer(engine::RunFolder{run}.database());
        for (int id = 1; id <= 20; ++id) {
            engine::Node node;
            node.id = id;
            node.parents = {std::max(0, id - 3)};
            node.description = "external " + std::to_string(id);
            node.createdAt = node.updatedAt = engine::unixNow();
            QSignalSpy inserted(&explorer.model, &QAbstractItemModel::rowsInserted);
            writer.insertNode(node);
            QVERIFY2(inserted.wait(10000), qPrintable(QString("node %1 never arrived").arg(id)));
        }
        QCOMPARE(explorer.model.rowCount(), 21);
        QCOMPARE(explorer.model.node(20)->description, std::string("external 20"));

        // A status change arrives as dataChanged on that row, not as a new row.
        QSignalSpy changed(&explorer.model, &QAbstractItemModel::dataChanged);
        writer.setStatus(7, engine::NodeStatus::Rejected);
        QTRY_COMPARE_WITH_TIMEOUT(int(explorer.model.node(7)->status),
                                  int(engine::NodeStatus::Rejected), 5000);
        QCOMPARE(explorer.model.rowCount(), 21);
    }

    void followsTheInProcessEngine()
    {
        QTemporaryDir dir;
        Explorer explorer;
        models::EngineController controller;
        QObject::connect(&controller, &models::EngineController::runOpened, &explorer.follower,
                         &models::RunFollower::open);
        QObject::connect(&controller, &models::EngineController::committed, &explorer.follower,
                         &models::RunFollower::refreshNow);
        QSignalSpy ended(&controller, &models::EngineController::runEnded);
        QSignalSpy progressed(&controller, &models::EngineController::progressed);
        controller.createAndRun(QString::fromStdString(example().string()), dir.filePath("run"),
                                settings(4));
        QVERIFY(ended.wait(120000));
        QCOMPARE(ended.at(0).at(0).value<engine::RunOutcome::Status>(), engine::RunOutcome::Status::Finished);
        QVERIFY(!progressed.isEmpty());
        // Everything the engine committed is in the model without any reload.
        QTRY_COMPARE_WITH_TIMEOUT(explorer.model.rowCount(), 5, 5000);
        engine::RunStore reader(engine::RunFolder{dir.filePath("run").toStdString()}.database(),
                                engine::Database::Mode::ReadOnly);
        const auto stored = reader.loadNodes();
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(stored.begin(), stored.end(), [&](const engine::Node& n) {
            const auto* shown = explorer.model.node(n.id);
            return shown && shown->status == n.status && shown->score == n.score;
        }), 5000);
    }

    // A headless `clade run` in another process writes; this process follows it live:
    // every change arrives as it is committed, none only at the end.
    void followsAnotherProcessLive()
    {
        QTemporaryDir dir;
        const QString run = dir.filePath("run");
        QProcess engine;
        engine.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        engine.start(CLADE_BINARY, {"run", QString::fromStdString(example().string()), "--headless",
                                    "--iterations", "16", "--workers", "2", "--seed", "4", "--out", run});
        QVERIFY(engine.waitForStarted());
        // The run folder appears (complete: it is created beside and renamed into place).
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(run + "/clade.db"), 30000);

        Explorer explorer;
        std::size_t changes = 0;
        QObject::connect(
            &explorer.follower, &models::RunFollower::nodesChanged, &explorer.model,
            [&](const models::NodeBatchPtr& batch) { changes += batch->nodes.size(); });
        QSignalSpy finished(&engine, &QProcess::finished);
        explorer.follower.open(run);
        // Waiting through the event loop (never waitForFinished, which would freeze it).
        QVERIFY(finished.wait(180000));
        QCOMPARE(engine.exitCode(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(explorer.model.rowCount(), 17, 5000);
        QVERIFY2(changes >= 16, qPrintable(QString::number(changes)));
    }

    // The window's Pause / Resume / Stop reach the engine on its thread.
    void pausesResumesAndStops()
    {
        QTemporaryDir dir;
        models::EngineController controller;
        QSignalSpy ended(&controller, &models::EngineController::runEnded);
        std::vector<engine::RunProgress> seen;
        QObject::connect(&controller, &models::EngineController::progressed, &controller,
                         [&](const engine::RunProgress& p) { seen.push_back(p); });
        const QString run = dir.filePath("run");
        controller.createAndRun(QString::fromStdString(example().string()), run, settings(400));
        QTRY_VERIFY_WITH_TIMEOUT(!seen.empty() && seen.back().evaluated >= 1, 60000);
        controller.pause();
        QVERIFY(controller.isPaused());
        QTRY_VERIFY_WITH_TIMEOUT(seen.back().paused && seen.back().running == 0, 60000);
        // Paused: nothing new is started. The engine's loop applies a person's decisions,
        // then starts what its strategy asks for unless paused; so once a second note comes
        // back, the loop has been round after the first one and started nothing.
        const int children = seen.back().children;
        for (const char* text : {"first look while paused", "second look while paused"}) {
            const std::size_t before = seen.size();
            engine::DecisionRequest note;
            note.nodeId = 0;
            note.action = engine::DecisionAction::Note;
            note.note = text;
            QVERIFY(!engine::submitDecision(run.toStdString(), note).appliedNow);
            QTRY_VERIFY_WITH_TIMEOUT(seen.size() > before, 60000);
            QVERIFY(seen.back().paused);
            QCOMPARE(seen.back().running, 0);
            QCOMPARE(seen.back().children, children);
        }
        controller.resume();
        QTRY_VERIFY_WITH_TIMEOUT(seen.back().children > children, 60000);
        controller.stop();
        QVERIFY(ended.wait(60000));
        QCOMPARE(ended.at(0).at(0).value<engine::RunOutcome::Status>(), engine::RunOutcome::Status::Stopped);
        QVERIFY(seen.back().children < 400);
    }

    // What the sandbox of the run's latest session did not guarantee reaches the explorer:
    // in the batch that follows a session started after the run was opened (a window
    // following or driving it), and in RunData when a finished run is opened later.
    void carriesTheSandboxSession()
    {
        QTemporaryDir dir;
        engine::RunSettings s = settings(1);
        s.sandbox = "unsafe-rlimits";
        const fs::path run = engine::createRun(example(), dir.filePath("run").toStdString(), s);
        const auto expected = engine::makeSandbox("unsafe-rlimits")->unenforcedLimits();
        {
            models::RunFollower follower;
            QSignalSpy opened(&follower, &models::RunFollower::opened);
            follower.open(QString::fromStdString(run.string()));
            QVERIFY(opened.wait(5000));
            QVERIFY(!opened.at(0).at(0).value<models::RunDataPtr>()->sandboxSession);
            std::optional<engine::SandboxSession> followed;
            QObject::connect(&follower, &models::RunFollower::nodesChanged, &follower,
                             [&](const models::NodeBatchPtr& batch) { followed = batch->sandboxSession; });
            engine::RunEngine(run).run();
            QTRY_VERIFY_WITH_TIMEOUT(followed.has_value(), 5000);
            QCOMPARE(followed->backend, std::string("unsafe-rlimits"));
            QCOMPARE(followed->unenforced, expected);
        }
        models::RunFollower later;
        QSignalSpy opened(&later, &models::RunFollower::opened);
        later.open(QString::fromStdString(run.string()));
        QVERIFY(opened.wait(5000));
        const auto data = opened.at(0).at(0).value<models::RunDataPtr>();
        QVERIFY(data->sandboxSession);
        QCOMPARE(data->sandboxSession->backend, std::string("unsafe-rlimits"));
        QCOMPARE(data->sandboxSession->unenforced, expected);
        QVERIFY(engine::sandboxWarning(data->config.settings.sandbox, data->sandboxSession).unsafe);
    }

    void reportsABadFolder()
    {
        QTemporaryDir dir;
        models::RunFollower follower;
        QSignalSpy failed(&follower, &models::RunFollower::failed);
        follower.open(dir.path());
        QVERIFY(failed.wait(5000));
        QVERIFY2(failed.at(0).at(0).toString().contains(dir.path()),
                 qPrintable(failed.at(0).at(0).toString()));
    }

    // Another system's run opens through its import, made on the reader's thread once and
    // kept in the import cache: a second open reads the same folder.
    void opensAnotherSystemsRun()
    {
        QTemporaryDir cache;
        qputenv("XDG_CACHE_HOME", cache.path().toLocal8Bit());
        const QString source = QString(CLADE_SOURCE_DIR) + "/tests/fixtures/import/aide";
        QString firstFolder;
        for (int round = 0; round < 2; ++round) {
            models::RunFollower follower;
            QSignalSpy opened(&follower, &models::RunFollower::opened);
            follower.open(source);
            QVERIFY(opened.wait(10000));
            const auto data = opened.at(0).at(0).value<models::RunDataPtr>();
            QCOMPARE(data->nodes.size(), std::size_t(8));
            QVERIFY2(data->folder.startsWith(cache.path()), qPrintable(data->folder));
            QCOMPARE(follower.folder(), data->folder);
            if (round == 0)
                firstFolder = data->folder;
            else
                QCOMPARE(data->folder, firstFolder);
        }
        qunsetenv("XDG_CACHE_HOME");
    }

    void controllerReportsBadInput()
    {
        QTemporaryDir dir;
        models::EngineController controller;
        QSignalSpy ended(&controller, &models::EngineController::runEnded);
        controller.createAndRun(dir.filePath("no-such-agent"), dir.filePath("run"), settings(2));
        QVERIFY(ended.wait(10000));
        QCOMPARE(ended.at(0).at(0).value<engine::RunOutcome::Status>(), engine::RunOutcome::Status::InputError);
        QVERIFY(!fs::exists(dir.filePath("run").toStdString()));
    }
};

QTEST_GUILESS_MAIN(TestRunFollower)
#include "tst_runfollower.moc"
