// What the explorer reads of a Slurm run's cluster use: each node's placements
// (phase_placed events) and the jobs a stop cancelled (jobs_cancelled), at open and as the
// run grows while it is followed. The events are written by hand (models/SlurmPlacedRun.h):
// no cluster is needed.
#include "models/ClusterQueuePoller.h"
#include "models/RunFollower.h"
#include "models/SlurmPlacedRun.h"

#include <QSignalSpy>

#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <atomic>
#include <stdexcept>

using namespace clade;
namespace fs = std::filesystem;

namespace {

models::RunDataPtr openRun(models::RunFollower& follower, const fs::path& run)
{
    QSignalSpy opened(&follower, &models::RunFollower::opened);
    follower.open(QString::fromStdString(run.string()));
    if (!opened.wait(10000))
        return nullptr;
    return opened.at(0).at(0).value<models::RunDataPtr>();
}

models::NodeDetailsPtr detailsOf(models::RunFollower& follower, int nodeId)
{
    QSignalSpy read(&follower, &models::RunFollower::detailsRead);
    follower.requestDetails(nodeId);
    if (!read.wait(10000))
        return nullptr;
    return read.at(0).at(0).value<models::NodeDetailsPtr>();
}

} // namespace

class TestClusterFacts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensWithPlacementsAndCancelledJobs()
    {
        QTemporaryDir dir;
        const fs::path run = testsupport::createPlacedRun(dir.filePath("run").toStdString());
        models::RunFollower follower;
        const auto data = openRun(follower, run);
        QVERIFY(data);
        QCOMPARE(data->cluster.activity.phases, 1);
        QCOMPARE(data->cluster.activity.lostAttempts, 1);
        QCOMPARE(data->cluster.activity.medianQueueSeconds, 0.05);
        QVERIFY(data->cluster.activity.byNode.empty()); // placements come with the details
        QCOMPARE(data->cluster.cancelled.size(), std::size_t(1));
        QCOMPARE(data->cluster.cancelled[0].jobIds, (std::vector<std::string>{"537", "538"}));
        QCOMPARE(data->cluster.cancelled[0].why, std::string("the run was stopped"));

        const auto details = detailsOf(follower, 0);
        QVERIFY(details);
        QCOMPARE(details->placements.size(), std::size_t(1));
        const engine::PlacedPhase& score = details->placements[0];
        QCOMPARE(score.phase, std::string("score"));
        QCOMPARE(score.where.jobId, std::string("536"));
        QCOMPARE(score.where.stepId, std::string("0"));
        QCOMPARE(score.where.host, std::string("node7"));
        QCOMPARE(score.where.lost.size(), std::size_t(1));
        QCOMPARE(score.where.lost[0].jobId, std::string("535"));
        QCOMPARE(score.where.lost[0].host, std::string("node3"));
    }

    void placementsArriveWhileFollowing()
    {
        QTemporaryDir dir;
        const fs::path run = testsupport::createPlacedRun(dir.filePath("run").toStdString());
        models::RunFollower follower;
        QVERIFY(openRun(follower, run));
        QSignalSpy changed(&follower, &models::RunFollower::nodesChanged);
        testsupport::recordPlacement(run, 0,
                                     testsupport::slurmPhase("propose", "540", "node8", 1.5));
        testsupport::recordCancelled(run, {"541"});
        // Batches without cluster events may come first (the follow's own first refresh).
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(changed.begin(), changed.end(),
                                             [](const QList<QVariant>& args) {
                                                 const auto batch =
                                                     args.at(0).value<models::NodeBatchPtr>();
                                                 return batch->cluster &&
                                                        batch->cluster->activity.phases == 2 &&
                                                        batch->cluster->cancelled.size() == 2;
                                             }),
                                 10000);
        const auto details = detailsOf(follower, 0);
        QVERIFY(details);
        QCOMPARE(details->placements.size(), std::size_t(2));
        QCOMPARE(details->placements[1].phase, std::string("propose"));
        QCOMPARE(details->placements[1].where.host, std::string("node8"));
        QCOMPARE(detailsOf(follower, 1) ? detailsOf(follower, 1)->placements.size() : 99,
                 std::size_t(0));
    }

    // A local run never reads event payloads for placements while it is followed.
    void localRunHasNoClusterFacts()
    {
        QTemporaryDir dir;
        const fs::path run =
            testsupport::createPlacedRun(dir.filePath("run").toStdString(), "local");
        models::RunFollower follower;
        const auto data = openRun(follower, run);
        QVERIFY(data);
        QCOMPARE(data->cluster.activity.phases, 0);
        QVERIFY(data->cluster.cancelled.empty());
    }

    // squeue answers on the thread pool; a failure to ask is said, not thrown.
    void pollerAsksOffTheGuiThreadAndSaysWhyItCannot()
    {
        std::atomic<int> asked{0};
        models::ClusterQueuePoller poller(nullptr, [&asked](const std::string& tag) {
            ++asked;
            if (tag == "broken")
                throw std::runtime_error("squeue: cannot reach slurmctld");
            return engine::SlurmQueueCounts{2, 3};
        });
        QSignalSpy counts(&poller, &models::ClusterQueuePoller::countsRead);
        poller.start("clade-run");
        QVERIFY(counts.wait(5000));
        QCOMPARE(counts.at(0).at(0).toInt(), 2);
        QCOMPARE(counts.at(0).at(1).toInt(), 3);
        QSignalSpy unknown(&poller, &models::ClusterQueuePoller::queueUnknown);
        poller.start("broken");
        QVERIFY(unknown.wait(5000));
        QVERIFY(unknown.at(0).at(0).toString().contains("slurmctld"));
        poller.stop();
        QVERIFY(!poller.isPolling());
    }
};

QTEST_GUILESS_MAIN(TestClusterFacts)
#include "tst_clusterfacts.moc"
