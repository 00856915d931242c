// kill -9 of the engine at random moments, then resume: nothing committed is lost, nothing
// is half-written, the database and the git repository are sound, and the run finishes.
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"
#include "support/ProcessScan.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <filesystem>
#include <map>

using namespace clade::engine;
namespace fs = std::filesystem;

namespace {

constexpr int kIterations = 40;

struct Committed {
    std::string commit;
    NodeStatus status;
    std::optional<double> score;
};

QProcessEnvironment testEnvironment(const QString& home)
{
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert("XDG_DATA_HOME", home);
    return env;
}

bool git(const QStringList& args, QString* output = nullptr)
{
    QProcess p;
    p.start("git", args);
    p.waitForFinished(60000);
    if (output)
        *output = p.readAllStandardOutput() + p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace

class TestCrashResume : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void killAtRandomMomentsThenFinish()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString run = dir.filePath("run");
        QRandomGenerator random(20261125); // fixed: the same moments on every machine run
        std::map<int, Committed> seen;

        for (int round = 0; round < 5; ++round) {
            QProcess clade;
            clade.setProcessEnvironment(testEnvironment(dir.path()));
            clade.setWorkingDirectory(CLADE_SOURCE_DIR);
            if (round == 0)
                clade.start(CLADE_BINARY, {"run", "binpack", "--iterations", QString::number(kIterations),
                                           "--workers", "2", "--seed", "5", "--out", run, "--headless"});
            else
                clade.start(CLADE_BINARY, {"resume", run, "--headless"});
            QVERIFY(clade.waitForStarted());
            // Somewhere between creating the run and finishing it.
            const int delayMs = 300 + int(random.bounded(1200));
            if (clade.waitForFinished(delayMs))
                QFAIL(qPrintable("finished before the kill in round " + QString::number(round) +
                                 ": " + clade.readAllStandardError()));
            const qint64 pid = clade.processId();
            ::kill(pid_t(pid), SIGKILL);
            QVERIFY(clade.waitForFinished(10000));
            QCOMPARE(clade.exitStatus(), QProcess::CrashExit);
            // Nothing of its sandboxes survives it (their command lines name its scratch folder).
            const std::string scratch = "clade-scratch-" + std::to_string(pid);
            const bool allGone =
                QTest::qWaitFor([&] { return testsupport::countProcesses(scratch) == 0; }, 5000);
            if (const auto left = testsupport::processesMentioning(scratch); !allGone && !left.empty())
                QFAIL(qPrintable("survived the engine's SIGKILL:\n" +
                                 QString::fromStdString(testsupport::describeProcesses(left))));
            if (!fs::exists(run.toStdString()))
                QFAIL("run folder missing after a kill: it must appear only complete");
            checkSound(run, seen);
        }

        QProcess finish;
        finish.setProcessEnvironment(testEnvironment(dir.path()));
        finish.start(CLADE_BINARY, {"resume", run, "--headless"});
        QVERIFY(finish.waitForFinished(300000));
        QVERIFY2(finish.exitCode() == 0, finish.readAllStandardError().constData());
        const auto nodes = checkSound(run, seen);
        QCOMPARE(int(nodes.size()), kIterations + 1);
        for (const auto& node : nodes)
            QVERIFY2(node.status == NodeStatus::Evaluated || node.status == NodeStatus::Failed,
                     qPrintable("node " + QString::number(node.id) + " left " +
                                QString::fromStdString(toString(node.status))));
        QVERIFY(git({"--git-dir", run + "/repo.git", "fsck", "--full", "--strict"}));
    }

private:
    /// Checks every invariant of a run folder at rest and that nothing seen before is gone.
    std::vector<Node> checkSound(const QString& run, std::map<int, Committed>& seen)
    {
        const RunFolder folder{run.toStdString()};
        RunStore store(folder.database(), Database::Mode::ReadOnly);
        store.integrityCheck();
        const auto nodes = store.loadNodes();
        QString output;
        if (!git({"--git-dir", run + "/repo.git", "fsck", "--full"}, &output))
            qFatal("git fsck failed: %s", qPrintable(output));

        for (const auto& node : nodes) {
            const auto artifacts = folder.artifacts(node.id);
            if (node.id > 0 && !fs::exists(artifacts / "propose.log"))
                qFatal("node %d has no propose.log", node.id);
            if (!node.commit.empty()) {
                if (!git({"--git-dir", run + "/repo.git", "cat-file", "-e", QString::fromStdString(node.commit) + "^{commit}"}))
                    qFatal("node %d names a commit that is not in the repository", node.id);
                if (!git({"--git-dir", run + "/repo.git", "rev-parse", "--verify", "-q",
                          QString::fromStdString(RunFolder::nodeRef(node.id))}))
                    qFatal("node %d has no ref", node.id);
            }
            if (node.status == NodeStatus::Evaluated) {
                if (!fs::exists(artifacts / "evaluate.log") || !fs::exists(artifacts / "metrics.json"))
                    qFatal("evaluated node %d lacks its evaluation artifacts", node.id);
                if (node.results.size() != 8 || !node.score)
                    qFatal("evaluated node %d has %zu results", node.id, node.results.size());
            }
            for (int parent : node.parents)
                if (parent >= node.id)
                    qFatal("node %d has parent %d", node.id, parent);
        }
        // Nothing committed earlier is lost or changed (an evaluation may only complete).
        for (const auto& [id, before] : seen) {
            const Node* now = nullptr;
            for (const auto& node : nodes)
                if (node.id == id)
                    now = &node;
            if (!now)
                qFatal("node %d was lost", id);
            if (now->commit != before.commit)
                qFatal("node %d changed its commit", id);
            if (before.status == NodeStatus::Evaluated &&
                (now->status != NodeStatus::Evaluated || now->score != before.score))
                qFatal("evaluated node %d changed", id);
        }
        for (const auto& node : nodes)
            seen[node.id] = {node.commit, node.status, node.score};
        return nodes;
    }
};

QTEST_GUILESS_MAIN(TestCrashResume)
#include "tst_crashresume.moc"
