// The local Slurm cluster does what the Slurm executor's tests rely on (issue 19): a job
// step runs, steps of one allocation run side by side on a 2-core host, scancel makes srun
// fail, a job tagged by name is found while it runs and its end read after it left squeue,
// and a lost node ends its job as NODE_FAIL and comes back.

#include "support/SlurmCluster.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using testsupport::SlurmCluster;

namespace {

/// A job name no other test run on this machine uses.
QString tag(const QString& what)
{
    return "clade-test-" + QString::number(QCoreApplication::applicationPid()) + "-" + what;
}

bool fileExists(const QString& path)
{
    return QFile::exists(path);
}

} // namespace

class tst_SlurmCluster : public QObject {
    Q_OBJECT

    SlurmCluster m_cluster;
    QTemporaryDir m_scratch;

    QString submit(const QString& name, const QStringList& options, const QString& script)
    {
        const auto r = m_cluster.run("sbatch",
                                     QStringList{"--parsable", "--job-name=" + name, "--time=2",
                                                 "--output=" + m_scratch.filePath(name + ".out")} +
                                         options + QStringList{"--wrap=" + script},
                                     m_scratch.path());
        if (!r.ok())
            qWarning("%s", r.describe().constData());
        return QString::fromUtf8(r.out).trimmed().section(';', 0, 0);
    }

    QString jobOutput(const QString& name) const
    {
        QFile f(m_scratch.filePath(name + ".out"));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!m_cluster.isUp())
            QSKIP(qPrintable(m_cluster.unavailableReason()));
        QVERIFY(m_scratch.isValid());
        // Idle once jobs of tests before this one have left the node.
        testsupport::SlurmCommandResult nodes;
        const bool idle = QTest::qWaitFor(
            [&] {
                nodes = m_cluster.run("sinfo", {"--noheader", "--format=%P %t %c"});
                return nodes.ok() && nodes.out.contains("debug* idle 8") &&
                       nodes.out.contains("short idle 8");
            },
            120000);
        QVERIFY2(idle, nodes.describe());
    }

    void srunRunsAStep()
    {
        QElapsedTimer timer;
        timer.start();
        const auto r =
            m_cluster.run("srun", {"--ntasks=1", "--job-name=" + tag("true"), "/bin/true"});
        const qint64 ms = timer.elapsed();
        QVERIFY2(r.ok(), r.describe());
        qInfo("srun -n1 /bin/true: %lld ms", ms);
    }

    // Each step marks that it started, then waits for all four marks: the job completes only
    // if the four steps ran at the same time, on a host with 2 cores.
    void stepsOfOneAllocationRunAtOnce()
    {
        const QString marks = m_scratch.filePath("marks");
        QVERIFY(QDir().mkpath(marks));
        const QString step =
            QString("touch %1/started.$SLURM_STEP_ID; "
                    "for i in $(seq 600); do [ $(ls %1 | wc -l) -ge 4 ] && exit 0; sleep 0.05; "
                    "done; echo step $SLURM_STEP_ID saw $(ls %1 | wc -l) of 4 steps; exit 1")
                .arg(marks);
        const QString script = QString("for i in 1 2 3 4; do srun --ntasks=1 --cpus-per-task=1 "
                                       "--mem=100 --exact sh -c '%1' & steps=\"$steps $!\"; done; "
                                       "fail=0; for s in $steps; do wait $s || fail=1; done; "
                                       "exit $fail")
                                   .arg(step);
        const QString name = tag("steps");
        const QString id = submit(name, {"--ntasks=4", "--cpus-per-task=1"}, script);
        QVERIFY(!id.isEmpty());

        QTRY_VERIFY2_WITH_TIMEOUT(
            QDir(marks).entryList(QDir::Files).size() == 4,
            qPrintable("steps started: " + QDir(marks).entryList(QDir::Files).join(' ') +
                       "\nsqueue --steps:\n" + m_cluster.run("squeue", {"--steps"}).out),
            30000);
        QTRY_COMPARE_WITH_TIMEOUT(m_cluster.jobEnd(id).state, QString("COMPLETED"), 30000);
        QVERIFY2(jobOutput(name).isEmpty(), qPrintable(jobOutput(name)));
    }

    void scancelMakesSrunFail()
    {
        const QString started = m_scratch.filePath("cancel-started");
        const QString name = tag("cancel");
        QProcess srun;
        srun.setProcessEnvironment(m_cluster.env());
        srun.setProcessChannelMode(QProcess::MergedChannels);
        srun.start("srun", {"--ntasks=1", "--job-name=" + name, "sh", "-c",
                            "touch " + started + "; exec sleep 300"});
        QVERIFY(srun.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(fileExists(started), 30000);

        const QStringList ids = m_cluster.activeJobsNamed(name);
        QCOMPARE(ids.size(), 1);
        const auto cancel = m_cluster.run("scancel", {ids.first()});
        QVERIFY2(cancel.ok(), cancel.describe());

        QVERIFY(srun.waitForFinished(30000));
        QVERIFY2(srun.exitStatus() == QProcess::NormalExit && srun.exitCode() != 0,
                 srun.readAll().constData());
        QTRY_COMPARE_WITH_TIMEOUT(m_cluster.jobEnd(ids.first()).state, QString("CANCELLED"), 30000);
    }

    // What `clade resume` does after a kill -9 of the engine: find the run's jobs by their tag
    // while they run, and tell how each ended once it is gone from squeue.
    void taggedJobIsFoundAndItsEndRead()
    {
        const QString go = m_scratch.filePath("tagged-go");
        const QString name = tag("tagged");
        const QString id = submit(name, {"--comment=clade-run " + name},
                                  "while [ ! -e " + go + " ]; do sleep 0.05; done; exit 3");
        QVERIFY(!id.isEmpty());

        QCOMPARE(m_cluster.activeJobsNamed(name), QStringList{id});
        const auto listed = m_cluster.run("squeue", {"--noheader", "--jobs=" + id, "--format=%k"});
        QCOMPARE(QString::fromUtf8(listed.out).trimmed(), "clade-run " + name);

        QFile goFile(go);
        QVERIFY(goFile.open(QIODevice::WriteOnly));
        QTRY_VERIFY_WITH_TIMEOUT(m_cluster.activeJobsNamed(name).isEmpty(), 30000);

        const auto end = m_cluster.jobEnd(id);
        QCOMPARE(end.state, QString("FAILED"));
        QCOMPARE(end.exitCode, QString("3:0"));
        // The completion log keeps the job after the controller forgets it (MinJobAge).
        const auto logged =
            m_cluster.run("sacct", {"--completion", "--jobs=" + id, "--noheader", "--parsable2",
                                    "--format=JobID,JobName,State,ExitCode"});
        QVERIFY2(logged.ok(), logged.describe());
        QCOMPARE(QString::fromUtf8(logged.out).trimmed(), id + "|" + name + "|FAILED|3:0");
    }

    // A test of job loss takes the node down: the job ends NODE_FAIL, and the node comes back
    // by itself (ReturnToService=2) and runs the next job. srun's own exit code does not tell
    // the loss (22.05 exits 0 after "Node failure"), so only the job's recorded end does.
    void lostNodeEndsTheJobAndComesBack()
    {
        const QString started = m_scratch.filePath("lost-started");
        const QString name = tag("lost");
        QProcess srun;
        srun.setProcessEnvironment(m_cluster.env());
        srun.setProcessChannelMode(QProcess::MergedChannels);
        srun.start("srun", {"--ntasks=1", "--job-name=" + name, "sh", "-c",
                            "touch " + started + "; exec sleep 300"});
        QVERIFY(srun.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(fileExists(started), 30000);
        const QStringList ids = m_cluster.activeJobsNamed(name);
        QCOMPARE(ids.size(), 1);

        // One line per partition, each naming the one node.
        const QString node =
            QString::fromUtf8(m_cluster.run("sinfo", {"--noheader", "--Node", "--format=%N"}).out)
                .section('\n', 0, 0);
        const auto down = m_cluster.run("scontrol", {"update", "NodeName=" + node, "State=DOWN",
                                                     "Reason=clade-test-lost-node"});
        QVERIFY2(down.ok(), down.describe());

        QElapsedTimer timer;
        timer.start();
        QVERIFY(srun.waitForFinished(30000));
        qInfo("srun ended %lld ms after its node was lost: exit %d, said: %s", timer.elapsed(),
              srun.exitCode(), srun.readAll().simplified().constData());
        QTRY_COMPARE_WITH_TIMEOUT(m_cluster.jobEnd(ids.first()).state, QString("NODE_FAIL"), 30000);

        // Back in service: a new job runs on the node. It may show `mix` rather than `idle`
        // for a while: the lost job can hold its CPU until the controller gives up on it.
        timer.restart();
        const auto again =
            m_cluster.run("srun", {"--ntasks=1", "--job-name=" + tag("back"), "/bin/true"});
        QVERIFY2(again.ok(), again.describe());
        qInfo("a job ran on the node again %lld ms later", timer.elapsed());
    }
};

QTEST_GUILESS_MAIN(tst_SlurmCluster)
#include "tst_slurmcluster.moc"
