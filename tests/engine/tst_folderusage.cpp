// What the disk watchdog counts in a sandbox's writable folder (measureFolder): allocated
// bytes with each inode once, every name (hard links too), symlinks never followed, and a
// tree it cannot fully see reported as such.
#include "engine/util/FolderUsage.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <fstream>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

using namespace clade::engine;
namespace fs = std::filesystem;

namespace {

void writeFile(const fs::path& path, size_t bytes)
{
    std::ofstream(path, std::ios::binary) << std::string(bytes, 'x');
}

// Independently of the walk: the st_blocks of every path given, each inode once.
long long allocated(const std::vector<fs::path>& paths)
{
    std::set<std::pair<dev_t, ino_t>> seen;
    long long bytes = 0;
    for (const auto& path : paths) {
        struct stat info {};
        if (::lstat(path.c_str(), &info) == 0 && seen.insert({info.st_dev, info.st_ino}).second)
            bytes += static_cast<long long>(info.st_blocks) * 512;
    }
    return bytes;
}

} // namespace

class TestFolderUsage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void countsBytesOnceAndEveryName()
    {
        QTemporaryDir dir;
        QTemporaryDir outside;
        const fs::path root = dir.path().toStdString();
        const fs::path away = outside.path().toStdString();
        // Outside the measured folder: a big file and a folder of many files, reachable
        // only through symlinks, which must not be followed.
        writeFile(away / "big.bin", 4 << 20);
        for (int i = 0; i < 50; ++i)
            writeFile(away / ("f" + std::to_string(i)), 10);

        fs::create_directories(root / "a" / "b");
        writeFile(root / "a" / "file1", 64 << 10);
        writeFile(root / "a" / "b" / "file2", 1);
        fs::create_hard_link(root / "a" / "file1", root / "a" / "b" / "link1");
        fs::create_hard_link(root / "a" / "file1", root / "link2");
        fs::create_symlink(away / "big.bin", root / "a" / "sym");
        fs::create_symlink(away, root / "a" / "dirsym");
        fs::create_symlink("..", root / "a" / "b" / "up"); // a loop, if it were followed

        const std::vector<fs::path> names = {root,
                                             root / "a",
                                             root / "a" / "b",
                                             root / "a" / "file1",
                                             root / "a" / "b" / "file2",
                                             root / "a" / "b" / "link1",
                                             root / "link2",
                                             root / "a" / "sym",
                                             root / "a" / "dirsym",
                                             root / "a" / "b" / "up"};
        const FolderUsage usage = measureFolder(root);
        QVERIFY2(usage.unmeasured.empty(), usage.unmeasured.c_str());
        QCOMPARE(usage.entries, static_cast<long long>(names.size())); // links count as names
        QCOMPARE(usage.bytes, allocated(names));       // file1's blocks once, not three times
        QVERIFY(usage.bytes >= 64 << 10);               // file1 is in
        QVERIFY2(usage.bytes < 1 << 20, std::to_string(usage.bytes).c_str()); // big.bin is not
    }

    void sparseFileCountsWhatItUses()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        {
            std::ofstream(root / "sparse");
        }
        fs::resize_file(root / "sparse", 1LL << 30);
        const FolderUsage usage = measureFolder(root);
        QCOMPARE(usage.entries, 2LL);
        QVERIFY2(usage.bytes < 1 << 20, std::to_string(usage.bytes).c_str());
    }

    void stopsEarlyAtTheCap()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        for (int i = 0; i < 100; ++i)
            writeFile(root / ("f" + std::to_string(i)), 8192);
        QCOMPARE(measureFolder(root).entries, 101LL);
        QCOMPARE(measureFolder(root, 0, 10).entries, 10LL);
        const FolderUsage bytes = measureFolder(root, 3 * 8192);
        QVERIFY(bytes.bytes >= 3 * 8192);
        QVERIFY2(bytes.entries < 101, std::to_string(bytes.entries).c_str());
    }

    void treeTooDeepIsUnmeasured()
    {
        QTemporaryDir dir;
        fs::path deep = dir.path().toStdString();
        for (int i = 0; i < FolderUsage::kMaxDepth + 5; ++i)
            deep /= "d";
        fs::create_directories(deep);
        writeFile(deep / "hidden", 1 << 20);
        const FolderUsage usage = measureFolder(dir.path().toStdString());
        QVERIFY2(usage.unmeasured.find("deeper than") != std::string::npos,
                 usage.unmeasured.c_str());

        // Just within the depth: measured completely.
        QTemporaryDir shallow;
        fs::path within = shallow.path().toStdString();
        for (int i = 0; i < FolderUsage::kMaxDepth - 1; ++i)
            within /= "d";
        fs::create_directories(within);
        writeFile(within / "seen", 1 << 20);
        const FolderUsage all = measureFolder(shallow.path().toStdString());
        QVERIFY2(all.unmeasured.empty(), all.unmeasured.c_str());
        QVERIFY(all.bytes >= 1 << 20);
    }

    void unreadableFolderIsUnmeasured()
    {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        fs::create_directory(root / "locked");
        writeFile(root / "locked" / "hidden", 1 << 20);
        fs::permissions(root / "locked", fs::perms::none);
        const FolderUsage usage = measureFolder(root);
        fs::permissions(root / "locked", fs::perms::owner_all); // for QTemporaryDir's cleanup
        if (::geteuid() == 0) {
            // Root reads every folder: what is locked away is counted.
            QVERIFY2(usage.unmeasured.empty(), usage.unmeasured.c_str());
            QCOMPARE(usage.entries, 3LL);
            QVERIFY(usage.bytes >= 1 << 20);
        } else {
            QVERIFY2(usage.unmeasured.find("cannot read folder locked") != std::string::npos,
                     usage.unmeasured.c_str());
        }
    }

    void fileOrMissingRoot()
    {
        QTemporaryDir dir;
        const fs::path file = fs::path(dir.path().toStdString()) / "one";
        writeFile(file, 8192);
        const FolderUsage usage = measureFolder(file);
        QVERIFY(usage.unmeasured.empty());
        QCOMPARE(usage.entries, 1LL);
        QVERIFY(usage.bytes >= 8192);
        QVERIFY(!measureFolder(fs::path(dir.path().toStdString()) / "none").unmeasured.empty());
    }
};

QTEST_GUILESS_MAIN(TestFolderUsage)
#include "tst_folderusage.moc"
