// Issue 19: runs through the Slurm executor on the local cluster (tests/cluster). The same
// seed gives the same tree as the local executor; a phase whose job is cancelled runs
// again and the run completes; after the engine is killed, a resumed run leaves no job of
// its own in the queue.
#include "engine/executor/SlurmExecutor.h"
#include "support/CladeProcess.h"
#include "support/GuardedAgent.h"
#include "support/SlurmCluster.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using namespace testsupport;

namespace {

/// A copy of binpack whose solve phase first sleeps `seconds`, so a test can catch its
/// job running; no guards (the sleep would fail the speed guard).
fs::path slowBinpack(const fs::path& agent, int seconds)
{
    binpackWithGuards(agent, nlohmann::json::array());
    nlohmann::json manifest = nlohmann::json::parse(std::ifstream(agent / "clade.json"));
    nlohmann::json solve = {"/bin/sh", "-c",
                            "sleep " + std::to_string(seconds) +
                                "; exec /usr/bin/python3 /harness/solve.py --agent /agent "
                                "--tasks \"$1\" --out /output",
                            "sh", "{tasks}"};
    manifest["solve"]["command"] = solve;
    std::ofstream(agent / "clade.json") << manifest.dump(2);
    return agent;
}

/// id, parents, status, flags, score, per-task results and description of every
/// node (not its commit, whose time differs), from `clade export --format json`: what two runs of one seed must share.
QStringList treeRows(const QString& run)
{
    const CladeOutput out = runClade({"export", run, "--format", "json"});
    if (out.exitCode != 0)
        return {"export failed: " + QString::fromUtf8(out.describe())};
    QStringList rows;
    const auto exported = nlohmann::json::parse(out.out.toStdString());
    for (const auto& node : exported.at("nodes")) {
        const nlohmann::json row = {node.at("id"),          node.at("parents"),
                                    node.at("status"),      node.at("flags"),
                                    node.at("score"),       node.at("results"),
                                    node.at("description")};
        rows << QString::fromStdString(row.dump());
    }
    return rows;
}

} // namespace

class TestSlurmExecutor : public QObject {
    Q_OBJECT

    SlurmCluster m_cluster;
    QTemporaryDir m_dir{QDir::tempPath() + "/clade-slurm-test-XXXXXX"};

    QProcess* startClade(const QStringList& args)
    {
        auto* clade = new QProcess(this);
        clade->setProcessEnvironment(m_cluster.env());
        clade->start(CLADE_BINARY, args);
        return clade;
    }

    /// The run's tag, once run.json exists.
    std::string tagOf(const QString& run)
    {
        const fs::path json = fs::path(run.toStdString()) / "run.json";
        if (!QTest::qWaitFor([&] { return fs::exists(json); }, 60000))
            return {};
        const auto config = nlohmann::json::parse(std::ifstream(json));
        return clade::engine::slurmRunTag(run.toStdString(), config.at("created_at").get<double>());
    }

    /// The running job steps ("42.3") of the run's allocation.
    QStringList runningSteps(const std::string& tag)
    {
        QStringList steps;
        for (const QString& job : runningJobs(tag)) {
            const auto r = m_cluster.run("squeue", {"--steps", "--noheader", "--jobs=" + job, "--format=%i"});
            for (const QString& step : QString::fromUtf8(r.out).split('\n', Qt::SkipEmptyParts))
                if (QRegularExpression(R"(^\d+\.\d+$)").match(step.trimmed()).hasMatch())
                    steps << step.trimmed();
        }
        return steps;
    }

    QStringList runningJobs(const std::string& tag)
    {
        const auto r = m_cluster.run("squeue", {"--noheader", "--states=RUNNING",
                                                "--name=" + QString::fromStdString(tag), "--format=%i"});
        return QString::fromUtf8(r.out).split('\n', Qt::SkipEmptyParts);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!m_cluster.isUp())
            QSKIP(qPrintable(m_cluster.unavailableReason()));
        QVERIFY(m_dir.isValid());
        qputenv("SLURM_CONF", m_cluster.slurmConf().toUtf8());
    }

    void sameTreeAsLocal()
    {
        const QString slurmRun = m_dir.filePath("slurm-run");
        const QString localRun = m_dir.filePath("local-run");
        const QStringList common = {"run", CLADE_SOURCE_DIR "/examples/binpack", "--headless",
                                    "--workers", "4", "--iterations", "40", "--seed", "5"};
        QProcess* slurm = startClade(common + QStringList{"--executor", "slurm", "--out", slurmRun});
        QVERIFY(slurm->waitForFinished(600000));
        QVERIFY2(slurm->exitCode() == 0, slurm->readAllStandardError().constData());
        QProcess* local = startClade(common + QStringList{"--out", localRun});
        QVERIFY(local->waitForFinished(600000));
        QVERIFY2(local->exitCode() == 0, local->readAllStandardError().constData());

        const QStringList a = treeRows(slurmRun), b = treeRows(localRun);
        QCOMPARE(a.size(), 41);
        QCOMPARE(a, b);
        // And the phases did run on the cluster: each phase log names its job.
        std::ifstream log(fs::path(slurmRun.toStdString()) / "artifacts" / "0" / "evaluate.log");
        const std::string text((std::istreambuf_iterator<char>(log)), {});
        QVERIFY2(text.find("--- ran on slurm job ") != std::string::npos, text.c_str());
        QVERIFY(m_cluster.activeJobsNamed(QString::fromStdString(tagOf(slurmRun))).isEmpty());
    }

    void cancelledJobRunsAgain()
    {
        const fs::path agent = slowBinpack(m_dir.filePath("slow-agent").toStdString(), 3);
        const QString run = m_dir.filePath("cancelled-run");
        QProcess* clade = startClade({"run", QString::fromStdString(agent.string()), "--headless",
                                      "--executor", "slurm", "--workers", "2", "--iterations",
                                      "2", "--seed", "2", "--out", run});
        const std::string tag = tagOf(run);
        QVERIFY(!tag.empty());
        // The phase is a step of the run's allocation: cancel that step alone.
        QStringList running;
        QVERIFY(QTest::qWaitFor([&] { return !(running = runningSteps(tag)).isEmpty(); }, 60000));
        const auto cancelled = m_cluster.run("scancel", {running.first()});
        QVERIFY2(cancelled.ok(), cancelled.describe().constData());
        const QString job = running.first().section('.', 0, 0);

        QVERIFY(clade->waitForFinished(300000));
        const QByteArray err = clade->readAllStandardError();
        QVERIFY2(clade->exitCode() == 0, err.constData());
        QVERIFY2(err.contains("running the phase again"), err.constData());
        // Nothing lost: the root and both children are evaluated, and the root's log names
        // the lost job.
        const CladeOutput status = runClade({"status", run, "--json"});
        const auto json = nlohmann::json::parse(status.out.toStdString());
        QCOMPARE(json.at("counts").value("evaluated", 0), 3);
        bool named = false;
        for (const auto& entry : fs::recursive_directory_iterator(fs::path(run.toStdString()) / "artifacts")) {
            if (!entry.is_regular_file())
                continue;
            std::ifstream in(entry.path());
            const std::string text((std::istreambuf_iterator<char>(in)), {});
            named = named || text.find("lost attempt (job " + job.toStdString()) != std::string::npos;
        }
        QVERIFY2(named, qPrintable("no phase log names the cancelled job " + running.first() +
                                   " as a lost attempt"));
        QVERIFY(m_cluster.activeJobsNamed(QString::fromStdString(tag)).isEmpty());
    }

    void killedEngineLeavesNoJobs()
    {
        const fs::path agent = slowBinpack(m_dir.filePath("slower-agent").toStdString(), 20);
        const QString run = m_dir.filePath("killed-run");
        QProcess* clade = startClade({"run", QString::fromStdString(agent.string()), "--headless",
                                      "--executor", "slurm", "--workers", "2", "--iterations",
                                      "2", "--seed", "3", "--out", run});
        const std::string tag = tagOf(run);
        QVERIFY(!tag.empty());
        QVERIFY(QTest::qWaitFor([&] { return !runningJobs(tag).isEmpty(); }, 60000));
        // The engine and its srun processes die at once, as when the login node goes: the
        // job is left in the queue, and only the next session can cancel it.
        ::kill(static_cast<pid_t>(clade->processId()), SIGKILL);
        QVERIFY(clade->waitForFinished(30000));
        QProcess::execute("pkill", {"-KILL", "-f", "--", "--job-name=" + QString::fromStdString(tag)});
        const QStringList left = m_cluster.activeJobsNamed(QString::fromStdString(tag));
        qInfo("jobs of the run left after kill -9: %s", qPrintable(left.join(' ')));

        QProcess* resumed = startClade({"resume", run, "--headless"});
        QVERIFY(resumed->waitForFinished(300000));
        const QByteArray err = resumed->readAllStandardError();
        QVERIFY2(resumed->exitCode() == 0, err.constData());
        if (!left.isEmpty())
            QVERIFY2(err.contains("left by an engine that ended without cleaning up"), err.constData());
        QVERIFY2(m_cluster.activeJobsNamed(QString::fromStdString(tag)).isEmpty(),
                 "a job of the run is still queued after the run ended");
        const CladeOutput status = runClade({"status", run, "--json"});
        const auto json = nlohmann::json::parse(status.out.toStdString());
        QCOMPARE(json.at("counts").value("evaluated", 0), 3);
    }
};

QTEST_GUILESS_MAIN(TestSlurmExecutor)
#include "tst_slurmexecutor.moc"
