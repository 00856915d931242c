// The sandbox's /tmp folders are kept between runs only when emptied completely: nothing a
// command leaves there reaches the next command, and emptying never follows a symlink.
#include "engine/sandbox/TmpFolderPool.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <sys/stat.h>

using namespace clade::engine;
namespace fs = std::filesystem;

class TestTmpFolderPool : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void emptiedFolderIsKeptForTheSameLimits()
    {
        TmpFolderPool pool;
        SandboxLimits limits;
        limits.tmpMb = 8;
        limits.scratchInodes = 1000;
        const fs::path folder = pool.acquire(limits);
        for (const char* part : {"tmp", "shm"}) {
            QVERIFY(fs::is_directory(folder / part));
            QCOMPARE(fs::status(folder / part).permissions(), fs::perms(01777));
        }
        // What a command might leave: files, a folder, a symlink out, a changed mode.
        QTemporaryDir outside;
        const fs::path target = fs::path(outside.path().toStdString()) / "keep.txt";
        std::ofstream(target) << "keep\n";
        std::ofstream(folder / "tmp" / "a.txt") << "left\n";
        fs::create_directories(folder / "tmp" / "sub" / "deeper");
        fs::create_symlink(target, folder / "tmp" / "link");
        fs::create_symlink(outside.path().toStdString(), folder / "shm" / "dirlink");
        fs::permissions(folder / "tmp", fs::perms::owner_all);
        pool.giveBack(folder);

        QVERIFY(fs::exists(target)); // symlinks were unlinked, not followed
        QVERIFY(fs::exists(folder / "tmp"));
        QVERIFY(fs::is_empty(folder / "tmp"));
        QVERIFY(fs::is_empty(folder / "shm"));
        QCOMPARE(fs::status(folder / "tmp").permissions(), fs::perms(01777));
        QCOMPARE(pool.acquire(limits), folder); // the same one, reused

        SandboxLimits other = limits;
        other.tmpMb = 16;
        const fs::path second = pool.acquire(other); // other limits: a folder of its own
        QVERIFY(second != folder);
        pool.giveBack(second);
        pool.giveBack(folder);
    }

    void crowdedFolderIsRemoved()
    {
        TmpFolderPool pool;
        const SandboxLimits limits;
        const fs::path folder = pool.acquire(limits);
        for (int i = 0; i < 300; ++i)
            std::ofstream(folder / "tmp" / std::to_string(i));
        pool.giveBack(folder);
        QVERIFY(!fs::exists(folder)); // removed at once, not emptied file by file
        const fs::path next = pool.acquire(limits);
        QVERIFY(next != folder);
        QVERIFY(fs::is_empty(next / "tmp"));
        pool.giveBack(next);
    }
};

QTEST_GUILESS_MAIN(TestTmpFolderPool)
#include "tst_tmpfolderpool.moc"
