// `clade sandbox --clean-up`: what a removal of the Debian package runs (its prerm), so
// nothing of Clade stays behind. It removes the scratch folders of engines that are gone,
// their tmpfs mounts first, and leaves a live engine's alone.
#include "engine/util/MountInfo.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

// A pid that is certainly not running: a child that exited and was reaped.
pid_t deadPid()
{
    const pid_t child = ::fork();
    if (child == 0)
        ::_exit(0);
    int status = 0;
    ::waitpid(child, &status, 0);
    return child;
}

bool isMountPoint(const fs::path& folder)
{
    std::ifstream in("/proc/self/mountinfo");
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        std::string id, parent, device, root, mountPoint;
        fields >> id >> parent >> device >> root >> mountPoint;
        if (clade::engine::unescapeMountField(mountPoint) == folder.string())
            return true;
    }
    return false;
}

} // namespace

class TestCliSandbox : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cleanUpSweepsDeadEngines()
    {
        QTemporaryDir tmp; // the engines' TMPDIR
        QVERIFY(tmp.isValid());
        const fs::path root = fs::canonical(tmp.path().toStdString());
        const fs::path dead = root / ("clade-scratch-" + std::to_string(deadPid()) + "-a1b2c3");
        const fs::path live = root / ("clade-scratch-" + std::to_string(::getpid()) + "-d4e5f6");
        fs::create_directories(dead / "job-1");
        fs::create_directories(live / "job-1");
        std::ofstream(dead / "job-1" / "left.txt") << "left by a killed engine\n";
        // As root, a dead engine also leaves its job folders' tmpfs mounts.
        const bool mounted =
            ::geteuid() == 0 && ::mount("tmpfs", (dead / "job-1").c_str(), "tmpfs", 0, "size=1m") == 0;
        if (mounted)
            QVERIFY(isMountPoint(dead / "job-1"));

        QProcess clade;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("TMPDIR", QString::fromStdString(root.string()));
        clade.setProcessEnvironment(env);
        clade.start(CLADE_BINARY, {"sandbox", "--clean-up"});
        QVERIFY(clade.waitForFinished(60000));
        const QString out = QString::fromLocal8Bit(clade.readAllStandardOutput());
        QVERIFY2(clade.exitCode() == 0, qPrintable(out + clade.readAllStandardError()));
        QVERIFY2(out.contains("removed the scratch folders of 1 "), qPrintable(out));
        QVERIFY(!fs::exists(dead));
        QVERIFY(fs::exists(live / "job-1"));
        if (mounted)
            QVERIFY(!isMountPoint(dead / "job-1"));
        else
            qInfo("not root: no tmpfs mount to sweep");
    }

    void cleanUpRunsNoCommand()
    {
        QProcess clade;
        clade.start(CLADE_BINARY, {"sandbox", "--clean-up", "--", "/bin/true"});
        QVERIFY(clade.waitForFinished(60000));
        QCOMPARE(clade.exitCode(), 2);
        QVERIFY(clade.readAllStandardError().contains("--clean-up runs no command"));
    }
};

QTEST_GUILESS_MAIN(TestCliSandbox)
#include "tst_cli_sandbox.moc"
