// Issue 17, "The best node depends on who asks": the engine that drives a run, `clade
// status`, the headless summary and a window that follows the run name one best node.
// The run is held for review after a score jump — the case where they used to differ: the
// driving engine left the held node out, the others named it.
#include "engine/review/ReviewQueue.h"
#include "engine/run/RunCreator.h"
#include "engine/run/RunEngine.h"
#include "engine/run/RunSummary.h"
#include "engine/util/AtomicFile.h"
#include "models/RunSession.h"
#include "support/ReviewToyAgent.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <future>
#include <utility>

using namespace clade;
namespace fs = std::filesystem;

namespace {

// Both children of the root, each held after its score jump.
bool bothChildrenHeld(const fs::path& run)
{
    const auto queue = engine::loadReviewQueue(run);
    return queue.size() == 2 && std::all_of(queue.begin(), queue.end(),
                                            [](const engine::HeldNode& h) { return h.keepHeld; });
}

} // namespace

class TestCliBestNode : public QObject {
    Q_OBJECT
    QTemporaryDir m_config;

private Q_SLOTS:
    void initTestCase()
    {
        // The window records recent runs in QSettings: keep them out of the user's own.
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
    }

    void everyReaderNamesTheSameBest()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path root = dir.path().toStdString();
        engine::RunSettings settings;
        settings.iterations = 2;
        settings.workers = 1;
        settings.seed = 7;
        settings.review = "ask-on-risk";
        const fs::path run = engine::createRun(testsupport::makeReviewToyAgent(root / "agent", "jump"), root / "run", settings);
        const QString runArg = QString::fromStdString(run.string());

        // A headless `clade` drives the run until both children wait for a person.
        QProcess clade;
        clade.start(CLADE_BINARY, {"resume", runArg, "--headless"});
        QVERIFY(clade.waitForStarted(30000));
        QTRY_VERIFY_WITH_TIMEOUT(bothChildrenHeld(run), 120000);

        // `clade status` (and --json) while it runs.
        const auto snapshot = engine::RunSnapshot::read(run);
        QVERIFY(snapshot.best());
        const int statusBest = snapshot.best()->id;
        QCOMPARE(snapshot.statusJson()["best"]["id"].get<int>(), statusBest);

        // A window that follows the run another process drives.
        int followingBest = -1;
        {
            models::RunSession window;
            QSignalSpy opened(&window, &models::RunSession::opened);
            window.open(runArg);
            QVERIFY(opened.wait(30000));
            followingBest = window.progress().bestId.value_or(-1);
        }

        // The headless summary, printed when the run is stopped.
        clade.terminate();
        QVERIFY(clade.waitForFinished(60000));
        const QString out = QString::fromLocal8Bit(clade.readAllStandardOutput());
        const auto summary = QRegularExpression(R"(-> best #(\d+))").match(out);
        QVERIFY2(summary.hasMatch(), qPrintable(out + clade.readAllStandardError()));
        const int headlessBest = summary.captured(1).toInt();

        // The engine that drives it, as its listeners (a driving window) are told.
        std::optional<int> drivingBest;
        {
            engine::RunEngine engine(run);
            std::promise<std::optional<int>> told;
            bool first = true;
            engine.addListener([&](const engine::RunEvent&, const engine::RunProgress& p) {
                if (std::exchange(first, false))
                    told.set_value(p.bestId);
            });
            auto ended = std::async(std::launch::async, [&] { return engine.run(); });
            auto bestTold = told.get_future();
            const bool toldInTime = bestTold.wait_for(std::chrono::seconds(60)) == std::future_status::ready;
            engine.stop(true); // it would wait for the review forever
            ended.wait();
            QVERIFY(toldInTime);
            drivingBest = bestTold.get();
        }

        const QByteArray who = QString("driving engine #%1, clade status #%2, following window #%3, "
                                       "headless summary #%4")
                                   .arg(drivingBest.value_or(-1))
                                   .arg(statusBest)
                                   .arg(followingBest)
                                   .arg(headlessBest)
                                   .toLocal8Bit();
        // Both children wait for a person: the root is the best anyone may name.
        QVERIFY2(drivingBest == 0 && statusBest == 0 && followingBest == 0 && headlessBest == 0,
                 who.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliBestNode)
#include "tst_cli_bestnode.moc"
