// The sandbox's disk watchdog (DiskWatch): which folders it polls, when, what it reports,
// and the per-file cap it asks for.
#include "engine/sandbox/DiskWatch.h"
#include "engine/sandbox/SandboxUser.h"
#include "engine/util/ScratchSpace.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <unistd.h>

using namespace clade::engine;
namespace fs = std::filesystem;

namespace {

void writeFile(const fs::path& path, size_t bytes)
{
    std::ofstream(path, std::ios::binary) << std::string(bytes, 'x');
}

} // namespace

class TestDiskWatch : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void plainFolderIsWatched()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        // The temp folder's file system is far bigger than 16 MB (and not tmpfs-limited).
        QVERIFY(!DiskWatch::heldByFileSystem({root, "/out", 16 << 20, 4000}));
        QVERIFY(DiskWatch::heldByFileSystem({root, "/out", 0, 0})); // nothing to hold
        QVERIFY(DiskWatch({{root, "/out", 16 << 20, 4000}}).active());
        QVERIFY(!DiskWatch({{root, "/out", 0, 0}}).active());
    }

    void tmpfsOfTheQuotaIsNotWatched()
    {
        if (::geteuid() != 0)
            QSKIP("mounting a tmpfs needs root");
        ScratchSpace scratch(sandboxUid(), sandboxGid(), {8, 64});
        if (!scratch.limitsFolders())
            QSKIP("cannot mount a tmpfs here");
        const fs::path folder = scratch.makeFolder("out", true);
        QVERIFY(DiskWatch::heldByFileSystem({folder, "/out", 8 << 20, 64}));
        QVERIFY(DiskWatch::heldByFileSystem({folder, "/out", 16 << 20, 0}));
        QVERIFY(!DiskWatch::heldByFileSystem({folder, "/out", 4 << 20, 64})); // bigger than that
        QVERIFY(!DiskWatch::heldByFileSystem({folder, "/out", 8 << 20, 32}));
        const DiskWatch watch({{folder, "/out", 8 << 20, 64}});
        QVERIFY(!watch.active());
        QCOMPARE(watch.fileSizeLimit(), 0LL); // the kernel holds it: no RLIMIT_FSIZE
        // A tmpfs without size or nr_inodes reports 0 blocks and 0 inodes: unlimited.
        const fs::path unlimited = scratch.makeFolder("unlimited", true, {0, 0});
        QVERIFY(!DiskWatch::heldByFileSystem({unlimited, "/u", 1 << 20, 10}));
        scratch.release(unlimited);
        scratch.release(folder);
    }

    void reportsTheFolderAndLimitReached()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        const auto now = DiskWatch::Clock::now();
        DiskWatch bytes({{root, "/out", 1 << 20, 100}});
        writeFile(root / "half", 512 << 10);
        QVERIFY(!bytes.check(now, true));
        QVERIFY(bytes.overrun().empty());
        writeFile(root / "more", 1 << 20);
        QVERIFY(!bytes.check(now)); // not due yet: one interval after the last measurement
        QVERIFY(bytes.check(now + std::chrono::seconds(1)));
        QCOMPARE(bytes.overrun(), std::string("disk limit 1 MB in /out"));
        QVERIFY(bytes.check(now)); // stays reported

        QTemporaryDir files;
        const fs::path many = files.path().toStdString();
        for (int i = 0; i < 98; ++i)
            writeFile(many / std::to_string(i), 0);
        DiskWatch inodes({{many, "/tmp and /dev/shm", 1 << 30, 100}});
        QVERIFY(!inodes.check(now, true)); // 98 files and the folder: one below the limit
        writeFile(many / "last", 0);
        QVERIFY(inodes.check(now, true)); // reaching the limit is enough
        QCOMPARE(inodes.overrun(), std::string("inode limit 100 in /tmp and /dev/shm"));
    }

    void unmeasurableTreeCountsAsOver()
    {
        QTemporaryDir dir;
        fs::path deep = dir.path().toStdString();
        for (int i = 0; i < 70; ++i)
            deep /= "d";
        fs::create_directories(deep);
        DiskWatch watch({{dir.path().toStdString(), "/out", 1 << 30, 1000}});
        QVERIFY(watch.check(DiskWatch::Clock::now(), true));
        QVERIFY2(watch.overrun().rfind("disk limit 1024 MB in /out (cannot measure: ", 0) == 0,
                 watch.overrun().c_str());
    }

    void fileSizeCapIsTheLargestQuota()
    {
        QTemporaryDir a, b;
        const fs::path one = a.path().toStdString();
        const fs::path two = b.path().toStdString();
        QCOMPARE(DiskWatch({{one, "/a", 16 << 20, 0}, {two, "/b", 8 << 20, 0}}).fileSizeLimit(),
                 16LL << 20);
        // A folder without a byte limit: no per-file cap at all.
        QCOMPARE(DiskWatch({{one, "/a", 16 << 20, 0}, {two, "/b", 0, 10}}).fileSizeLimit(), 0LL);
    }
};

QTEST_GUILESS_MAIN(TestDiskWatch)
#include "tst_diskwatch.moc"
