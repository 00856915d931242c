// What the explorer shows of a run whose phases ran on Slurm: the inspector's "Ran on"
// rows (job and step, host, queue wait, lost attempts), the status bar's cluster strip
// with the recorded facts and the jobs a stop cancelled, and the new-run dialog's executor.
// The run's events are written by hand (tests/models/SlurmPlacedRun.h); squeue is never
// asked (the run has no owner, so the strip is not live).
#include "models/RunFollower.h"
#include "models/SlurmPlacedRun.h"
#include "support/Screenshot.h"
#include "ui/ClusterStrip.h"
#include "ui/NewRunDialog.h"
#include "ui/NodeInspector.h"
#include "ui/PlacementView.h"
#include "ui/RunStatusBar.h"

#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <stdexcept>

using namespace clade;
namespace fs = std::filesystem;

class TestClusterViews : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void inspectorShowsWhereEachPhaseRan()
    {
        QTemporaryDir dir;
        const fs::path run = testsupport::createPlacedRun(dir.filePath("run").toStdString());
        testsupport::recordPlacement(run, 0,
                                     testsupport::slurmPhase("propose", "530", "node2", 12.5));
        models::RunFollower follower;
        QSignalSpy opened(&follower, &models::RunFollower::opened);
        follower.open(QString::fromStdString(run.string()));
        QVERIFY(opened.wait(10000));
        const auto data = opened.at(0).at(0).value<models::RunDataPtr>();

        ui::NodeInspector inspector;
        inspector.resize(420, 700);
        inspector.show();
        QObject::connect(&follower, &models::RunFollower::detailsRead, &inspector,
                         &ui::NodeInspector::setDetails);
        inspector.showNode(data->nodes.at(0), nullptr);
        auto* ranOn = inspector.findChild<ui::PlacementView*>("ranOn");
        QVERIFY(ranOn);
        QVERIFY(!ranOn->isVisible()); // until the node's details come
        QSignalSpy read(&follower, &models::RunFollower::detailsRead);
        follower.requestDetails(0);
        QVERIFY(read.wait(10000));
        QVERIFY(ranOn->isVisible());
        const QStringList lines = ranOn->plainText().split('\n', Qt::SkipEmptyParts);
        // One row per phase in the order they ran, the lost attempt under its phase.
        QCOMPARE(lines.size(), 3);
        QVERIFY2(lines[0].contains("score") && lines[0].contains("job 536 step 0") &&
                     lines[0].contains("node7") && lines[0].contains("queued 0.05 s"),
                 qPrintable(lines[0]));
        QVERIFY2(lines[1].contains("lost job 535 on node3: node failure (NODE_FAIL)"),
                 qPrintable(lines[1]));
        QVERIFY2(lines[2].contains("propose") && lines[2].contains("job 530 step 0") &&
                     lines[2].contains("node2") && lines[2].contains("queued 12.5 s"),
                 qPrintable(lines[2]));
        QVERIFY(
            !testsupport::saveScreenshot(inspector, "tst_clusterviews_inspector.png").isEmpty());

        // Another node, whose phases ran nowhere else: no section.
        engine::Node other = data->nodes.at(0);
        other.id = 1;
        inspector.showNode(other, nullptr);
        QVERIFY(!ranOn->isVisible());
    }

    void statusBarShowsTheRecordedClusterFacts()
    {
        QTemporaryDir dir;
        const fs::path run = testsupport::createPlacedRun(dir.filePath("run").toStdString());
        models::RunFollower follower;
        ui::RunStatusBar bar;
        bar.resize(1100, bar.sizeHint().height());
        bar.show();
        bar.followCluster(&follower);
        QSignalSpy opened(&follower, &models::RunFollower::opened);
        follower.open(QString::fromStdString(run.string()));
        QVERIFY(opened.wait(10000));
        ui::ClusterStrip* strip = bar.clusterStrip();
        QVERIFY(strip->isVisible());
        QCOMPARE(strip->text(),
                 QString("Slurm: 1 phase ran · queue wait median 0.05 s, max 0.05 s · "
                         "1 lost job, run again · stop cancelled jobs 537, 538"));
        QVERIFY(strip->toolTip().contains("the run was stopped"));
        QVERIFY(!strip->isPollingQueue()); // nobody runs it: nothing to ask squeue
        QVERIFY(!testsupport::saveScreenshot(bar, "tst_clusterviews_statusbar.png").isEmpty());

        // A later stop's jobs replace the earlier ones in the strip as the run is followed.
        testsupport::recordCancelled(run, {"601", "602", "603"});
        QTRY_VERIFY_WITH_TIMEOUT(strip->text().endsWith("stop cancelled jobs 601, 602, 603"),
                                 10000);

        // A local run shows nothing of a cluster.
        const fs::path local =
            testsupport::createPlacedRun(dir.filePath("local").toStdString(), "local");
        opened.clear();
        follower.open(QString::fromStdString(local.string()));
        QVERIFY(opened.wait(10000));
        QVERIFY(!strip->isVisible());
    }

    // While a process owns the run the strip counts its jobs (here from a stand-in for
    // squeue); once nobody does it stops asking and shows what the events recorded.
    void stripIsLiveOnlyWhileTheRunIs()
    {
        std::atomic<int> asked{0};
        ui::ClusterStrip strip(nullptr, [&asked](const std::string& tag) {
            ++asked;
            if (tag.rfind("clade-", 0) != 0)
                throw std::runtime_error("not a run tag: " + tag);
            return engine::SlurmQueueCounts{1, 3};
        });
        auto data = std::make_shared<models::RunData>();
        data->folder = "/tmp/some-run";
        data->config.settings.executor.kind = "slurm";
        data->cluster.activity.phases = 4;
        data->cluster.activity.medianQueueSeconds = 0.05;
        data->cluster.activity.maxQueueSeconds = 0.3;
        data->ownerPid = 4242;
        strip.setRun(data);
        QVERIFY(strip.isPollingQueue());
        QTRY_COMPARE_WITH_TIMEOUT(
            strip.text(), QString("Slurm: 3 running · 1 pending · queue wait median 0.05 s"), 5000);
        QVERIFY(asked > 0);
        strip.resize(strip.sizeHint());
        QVERIFY(!testsupport::saveScreenshot(strip, "tst_clusterviews_live.png").isEmpty());

        auto ended = std::make_shared<models::NodeBatch>();
        ended->ownerPid = 0;
        strip.update(ended);
        QVERIFY(!strip.isPollingQueue());
        QCOMPARE(strip.text(),
                 QString("Slurm: 4 phases ran · queue wait median 0.05 s, max 0.30 s"));

        // A local run: no strip, no squeue.
        auto local = std::make_shared<models::RunData>();
        local->ownerPid = 4242;
        strip.setRun(local);
        QVERIFY(!strip.isPollingQueue());
        QVERIFY(strip.isHidden());
    }

    void liveStripText()
    {
        models::ClusterFacts facts;
        facts.activity.phases = 4;
        facts.activity.medianQueueSeconds = 0.05;
        facts.activity.maxQueueSeconds = 0.3;
        QCOMPARE(ui::clusterStripText(facts, ui::LiveQueue{1, 3, {}}),
                 QString("Slurm: 3 running · 1 pending · queue wait median 0.05 s"));
        QCOMPARE(ui::clusterStripText(facts, ui::LiveQueue{0, 0, "squeue: timed out"}),
                 QString("Slurm: queue unknown · queue wait median 0.05 s"));
        QCOMPARE(ui::clusterStripText(facts, std::nullopt),
                 QString("Slurm: 4 phases ran · queue wait median 0.05 s, max 0.30 s"));
    }

    void newRunDialogFillsTheSlurmExecutor()
    {
        ui::NewRunDialog dialog;
        dialog.show();
        auto* executor = dialog.findChild<QComboBox*>("executor");
        auto* box = dialog.findChild<QWidget*>("slurmSettings");
        auto* partition = dialog.findChild<QLineEdit*>("slurmPartition");
        auto* time = dialog.findChild<QLineEdit*>("slurmTime");
        auto* account = dialog.findChild<QLineEdit*>("slurmAccount");
        auto* extra = dialog.findChild<QLineEdit*>("slurmExtraArgs");
        auto* attempts = dialog.findChild<QSpinBox*>("slurmAttempts");
        QVERIFY(executor && box && partition && time && account && extra && attempts);
        QVERIFY(!box->isVisible());
        QVERIFY(dialog.settings().executor.isLocal());

        executor->setCurrentIndex(executor->findData("slurm"));
        QVERIFY(box->isVisible());
        QCOMPARE(attempts->value(), 3);
        QCOMPARE(attempts->maximum(), 100);
        partition->setText("short");
        time->setText("00:30:00");
        account->setText("lab");
        extra->setText("--qos=high  --constraint=avx2");
        attempts->setValue(5);
        QVERIFY(!testsupport::saveScreenshot(dialog, "tst_clusterviews_newrun.png").isEmpty());
        const engine::ExecutorSettings settings = dialog.settings().executor;
        QCOMPARE(settings.kind, std::string("slurm"));
        QCOMPARE(settings.slurm.partition, std::string("short"));
        QCOMPARE(settings.slurm.time, std::string("00:30:00"));
        QCOMPARE(settings.slurm.account, std::string("lab"));
        QCOMPARE(settings.slurm.extraArgs,
                 (std::vector<std::string>{"--qos=high", "--constraint=avx2"}));
        QCOMPARE(settings.slurm.attempts, 5);
        time->setText("half an hour");
        QVERIFY_THROWS_EXCEPTION(std::exception, dialog.settings());

        executor->setCurrentIndex(executor->findData("local"));
        QVERIFY(!box->isVisible());
        QVERIFY(dialog.settings().executor.isLocal()); // the Slurm fields no longer count
    }
};

QTEST_MAIN(TestClusterViews)
#include "tst_clusterviews.moc"
