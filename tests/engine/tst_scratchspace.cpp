// Scratch folders for sandboxed commands: as root each is a tmpfs of its own, bounded in
// bytes and inodes, so a candidate cannot fill the host's disk; released and swept cleanly.
#include "engine/sandbox/SandboxUser.h"
#include "engine/util/MountInfo.h"
#include "engine/util/ScratchSpace.h"

#include <QtTest>

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <sys/mount.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace clade::engine;
namespace fs = std::filesystem;

namespace {

// As mountinfo writes a path: a blank is \040.
std::string escaped(const fs::path& folder)
{
    std::string out;
    for (const char c : folder.string())
        out += c == ' ' ? std::string("\\040") : std::string(1, c);
    return out;
}

bool isMountPoint(const fs::path& folder)
{
    std::ifstream in("/proc/self/mountinfo");
    for (std::string line; std::getline(in, line);)
        if (line.find(" " + escaped(folder) + " ") != std::string::npos)
            return true;
    return false;
}

} // namespace

class TestScratchSpace : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void foldersAreBoundedTmpfs()
    {
        if (::geteuid() != 0) {
            ScratchSpace scratch(sandboxUid(), sandboxGid());
            std::string why;
            QVERIFY(!scratch.limitsFolders(&why));
            QVERIFY2(QString::fromStdString(why).startsWith("disk:"), why.c_str());
            QSKIP("a tmpfs per job needs root; the gap is reported instead (checked above)");
        }
        ScratchSpace scratch(sandboxUid(), sandboxGid(), {8, 64});
        QVERIFY(scratch.limitsFolders());
        const fs::path folder = scratch.makeFolder("output", true);
        QVERIFY(isMountPoint(folder));
        struct statvfs st {};
        QCOMPARE(::statvfs(folder.c_str(), &st), 0);
        QCOMPARE(static_cast<long long>(st.f_blocks * st.f_frsize), 8LL << 20);
        QCOMPARE(static_cast<long long>(st.f_files), 64LL);

        // Bytes: a 9 MB write stops with ENOSPC at the size.
        const int fd = ::open((folder / "big").c_str(), O_WRONLY | O_CREAT, 0600);
        QVERIFY(fd >= 0);
        const std::string block(1 << 20, 'x');
        int written = 0;
        int error = 0;
        for (int i = 0; i < 9; ++i) {
            if (::write(fd, block.data(), block.size()) != ssize_t(block.size())) {
                error = errno;
                break;
            }
            ++written;
        }
        ::close(fd);
        QCOMPARE(error, ENOSPC);
        QVERIFY(written <= 8);
        // Inodes: at most 64.
        int files = 0;
        for (; files < 100; ++files) {
            const int f = ::open((folder / ("f" + std::to_string(files))).c_str(), O_WRONLY | O_CREAT, 0600);
            if (f < 0)
                break;
            ::close(f);
        }
        QVERIFY2(files < 64, std::to_string(files).c_str());

        scratch.release(folder);
        QVERIFY(!isMountPoint(folder));
        QVERIFY(!fs::exists(folder));
    }

    // The job folders' mount points are made and removed on a tmpfs too, not on the disk,
    // where each removed folder would slow every later file creation near it (ext4 without
    // a journal skips recently freed inodes). Everything goes with the space.
    void mountPointsAreOffTheDisk()
    {
        if (::geteuid() != 0)
            QSKIP("mounting needs root");
        fs::path root;
        fs::path folder;
        {
            ScratchSpace scratch(sandboxUid(), sandboxGid(), {8, 64});
            root = scratch.root();
            QVERIFY(isMountPoint(root));
            struct statfs st {};
            QCOMPARE(::statfs(root.c_str(), &st), 0);
            QCOMPARE(static_cast<long>(st.f_type), static_cast<long>(TMPFS_MAGIC));
            QCOMPARE(fs::status(root).permissions() & fs::perms::all, fs::perms(0711));
            folder = scratch.makeFolder("agent", false);
            QVERIFY(isMountPoint(folder));
            scratch.release(folder);
            QVERIFY(!fs::exists(folder));
            folder = scratch.makeFolder("output", true); // left for the destructor
        }
        QVERIFY(!isMountPoint(folder));
        QVERIFY(!isMountPoint(root));
        QVERIFY(!fs::exists(root));
    }

    void unescapesMountFields_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("path");
        QTest::newRow("plain") << "/tmp/clade-scratch-1" << "/tmp/clade-scratch-1";
        QTest::newRow("blank") << "/tmp/my\\040runs/x" << "/tmp/my runs/x";
        QTest::newRow("tab, newline, backslash") << "/a\\011b\\012c\\134d" << "/a\tb\nc\\d";
        QTest::newRow("not an escape") << "/a\\9x\\04" << "/a\\9x\\04";
    }
    void unescapesMountFields()
    {
        QFETCH(QString, field);
        QFETCH(QString, path);
        QCOMPARE(QString::fromStdString(unescapeMountField(field.toStdString())), path);
    }

    void sweepUnmountsFoldersOfDeadEngines_data()
    {
        QTest::addColumn<QString>("suffix");
        QTest::newRow("plain name") << "-test";
        // mountinfo escapes the blank; the sweep must still find the mount (it left the
        // tmpfs mounted before it read mountinfo's escapes).
        QTest::newRow("name with a blank") << "-test dir";
    }
    void sweepUnmountsFoldersOfDeadEngines()
    {
        QFETCH(QString, suffix);
        if (::geteuid() != 0)
            QSKIP("mounting needs root");
        // A folder named for a pid that is not running, with a tmpfs inside it.
        pid_t dead = 0;
        if (const pid_t child = ::fork(); child == 0) {
            ::_exit(0);
        } else {
            dead = child;
            int status = 0;
            ::waitpid(child, &status, 0);
        }
        const fs::path stale =
            fs::temp_directory_path() / ("clade-scratch-" + std::to_string(dead) + suffix.toStdString());
        fs::create_directories(stale / "job");
        QVERIFY(::mount("tmpfs", (stale / "job").c_str(), "tmpfs", 0, "size=1m") == 0);
        QVERIFY(isMountPoint(stale / "job"));
        ScratchSpace::sweepStale();
        QVERIFY(!isMountPoint(stale / "job"));
        QVERIFY(!fs::exists(stale));
    }
};

QTEST_GUILESS_MAIN(TestScratchSpace)
#include "tst_scratchspace.moc"
