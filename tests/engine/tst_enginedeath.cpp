// kill -9 of the engine while one of its sandboxes starts. bwrap binds its own life to its
// parent's only after cloning the sandbox's init, and that init binds its life to bwrap's
// only after setting up the sandbox: an engine killed in those few milliseconds once left
// the init and its command running for good. The reaper above bwrap now takes them down.
#include "support/ProcessScan.h"

#include <QDir>
#include <QProcess>
#include <QRandomGenerator>
#include <QtTest>

#include <csignal>
#include <filesystem>
#include <thread>

using namespace testsupport;
namespace fs = std::filesystem;

class TestEngineDeath : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void killDuringSandboxStart()
    {
        // Before the fix about one kill in fifteen left a sandbox running, so eighty kills
        // spread over the start-up all pass by chance less than once in a hundred runs.
        constexpr int kKills = 80;
        const std::string seconds = tagged("4799"); // `sleep 4799.<our pid>`
        QRandomGenerator random(20261126);
        std::vector<qint64> killed;
        for (int i = 0; i < kKills; ++i) {
            QProcess clade;
            clade.start(CLADE_BINARY, {"sandbox", "--", "/bin/sleep", QString::fromStdString(seconds)});
            QVERIFY(clade.waitForStarted());
            // clade starts in ~10 ms here, bwrap's setup takes ~7 ms more: 0-40 ms covers
            // both, and the first moments of the command.
            std::this_thread::sleep_for(std::chrono::microseconds(random.bounded(40000)));
            ::kill(static_cast<pid_t>(clade.processId()), SIGKILL);
            QVERIFY(clade.waitForFinished(10000));
            killed.push_back(clade.processId());
        }
        const bool gone = QTest::qWaitFor([&] { return countProcesses(seconds) == 0; }, 5000);
        const auto left = processesMentioning(seconds);
        for (pid_t pid : left)
            ::kill(pid, SIGKILL);
        QVERIFY2(gone, ("survived their engine:\n" + describeProcesses(left)).c_str());

        // The next start sweeps what the killed engines left in the temporary folder.
        QProcess next;
        next.start(CLADE_BINARY, {"sandbox", "--", "/bin/true"});
        QVERIFY(next.waitForFinished(30000));
        QCOMPARE(next.exitCode(), 0);
        for (const auto& entry : fs::directory_iterator(QDir::tempPath().toStdString()))
            for (qint64 pid : killed)
                QVERIFY2(entry.path().filename().string().rfind(
                             "clade-scratch-" + std::to_string(pid) + "-", 0) != 0,
                         entry.path().c_str());
    }
};

QTEST_GUILESS_MAIN(TestEngineDeath)
#include "tst_enginedeath.moc"
