#include "engine/git/Error.h"
#include "engine/git/FileSetCommit.h"
#include "engine/git/IgnoreRules.h"
#include "engine/git/Oid.h"
#include "engine/git/PackFolderRepair.h"
#include "engine/git/PackedReferences.h"
#include "engine/git/PackWriter.h"
#include "engine/git/PackedWrites.h"
#include "engine/git/Repository.h"

#include <QMap>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <thread>
#include <unordered_set>

namespace fs = std::filesystem;
using clade::git::DiffStats;
using clade::git::GitException;
using clade::git::IgnoreRules;
using clade::git::Oid;
using clade::git::Repository;
using clade::git::Signature;
using clade::git::commitEdits;
using clade::git::consolidatePacks;
using clade::git::repairPackFolder;

/// Relative path -> content, for fixtures described in data tables.
using Files = QMap<QString, QByteArray>;

namespace {

void writeFile(const fs::path& path, const std::string& content, fs::perms mode = fs::perms(0644))
{
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
    fs::permissions(path, mode);
}

void writeFiles(const fs::path& root, const Files& files)
{
    for (auto it = files.begin(); it != files.end(); ++it)
        writeFile(root / it.key().toStdString(), it.value().toStdString());
}

/// Every entry below `root` with what a snapshot must keep: kind, mode, bytes.
QMap<QString, QByteArray> describeFolder(const fs::path& root)
{
    QMap<QString, QByteArray> entries;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        // Lexically: fs::relative resolves symlinks, so a link would be keyed by its
        // target's name and the map would depend on the directory's order.
        const QString path = QString::fromStdString(entry.path().lexically_relative(root).string());
        const fs::file_status status = entry.symlink_status();
        if (fs::is_symlink(status)) {
            entries[path] = "link " + QByteArray::fromStdString(fs::read_symlink(entry).string());
        } else if (fs::is_directory(status)) {
            entries[path] = "dir";
        } else {
            std::ifstream in(entry.path(), std::ios::binary);
            const std::string bytes((std::istreambuf_iterator<char>(in)), {});
            const auto mode = static_cast<unsigned>(status.permissions() & fs::perms::mask);
            entries[path] = QByteArray::number(mode, 8) + " " + QByteArray::fromStdString(bytes);
        }
    }
    return entries;
}

QString describe(const DiffStats& stats)
{
    QStringList files;
    for (const auto& file : stats.files) {
        QString path = QString::fromStdString(file.newPath);
        if (file.oldPath != file.newPath)
            path = QString::fromStdString(file.oldPath) + "->" + path;
        files << (file.binary ? QString("%1 %2 binary").arg(file.status).arg(path)
                              : QString("%1 %2 +%3 -%4")
                                    .arg(file.status)
                                    .arg(path)
                                    .arg(file.insertions)
                                    .arg(file.deletions));
    }
    return files.join("; ");
}

Signature fixedSignature(int secondsSinceEpoch = 1700000000)
{
    Signature signature;
    signature.when = std::chrono::system_clock::time_point(std::chrono::seconds(secondsSinceEpoch));
    return signature;
}

const std::vector<std::string> pythonIgnores = {"__pycache__/", "*.pyc"};

/// Runs the git command line against `repo` (none if empty); returns stdout, or after a
/// warning "<git failed>", which makes the comparison that follows fail.
QByteArray runGit(const fs::path& repo, const QStringList& arguments,
                  const fs::path& workingDir = {})
{
    QProcess git;
    if (!workingDir.empty())
        git.setWorkingDirectory(QString::fromStdString(workingDir.string()));
    QStringList all;
    if (!repo.empty())
        all << "--git-dir=" + QString::fromStdString(repo.string());
    git.start("git", all + arguments);
    if (!git.waitForFinished(60000) || git.exitStatus() != QProcess::NormalExit ||
        git.exitCode() != 0) {
        qWarning().noquote() << "git" << arguments.join(' ')
                             << "failed:" << git.readAllStandardError();
        return "<git failed>";
    }
    return git.readAllStandardOutput();
}

/// A small agent folder: nested sources, an executable, a symlink, things to ignore.
void writeAgentFolder(const fs::path& dir)
{
    writeFile(dir / "README.md", "# agent\n");
    writeFile(dir / "src/agent.py", "import tools\n\nprint('hi')\n");
    writeFile(dir / "src/tools/__init__.py", "");
    writeFile(dir / "src/tools/edit.py", "def edit():\n    pass\n");
    writeFile(dir / "bin/run.sh", "#!/bin/sh\nexec python3 src/agent.py\n", fs::perms(0755));
    writeFile(dir / "data/blob.bin", std::string("\0\1\2binary\0", 10));
    fs::create_directory_symlink("../src", dir / "bin/src");
    fs::create_symlink("src/agent.py", dir / "main.py");
    writeFile(dir / "__pycache__/agent.cpython-311.pyc", "junk");
    writeFile(dir / "src/tools/__pycache__/edit.cpython-311.pyc", "junk");
    writeFile(dir / "src/stray.pyc", "junk");
    writeFile(dir / "cache/only.pyc", "junk"); // empty once ignored: dropped
    fs::create_directories(dir / "empty/nested");
}

} // namespace

class TestGitRepository : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    fs::path m_root;

private Q_SLOTS:
    void init()
    {
        m_tmp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_tmp->isValid());
        m_root = m_tmp->path().toStdString();
    }

    void cleanup() { m_tmp.reset(); }

    void oidValueType()
    {
        const std::string hex = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
        const Oid oid = Oid::fromHex(hex);
        QCOMPARE(oid.hex(), hex);
        QCOMPARE(Oid::fromHex("4B825DC642CB6EB9A060E54BF8D69288FBEE4904"), oid);
        QCOMPARE(oid.shortHex(), std::string("4b825dc"));
        QCOMPARE(oid.shortHex(100), hex);
        QVERIFY(!oid.isNull());
        QVERIFY(Oid().isNull());
        QVERIFY(Oid() < oid);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Oid::fromHex("4b825dc"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Oid::fromHex(std::string(40, 'g')));
        const std::unordered_set<Oid> set = {oid, Oid(), oid};
        QCOMPARE(set.size(), std::size_t(2));
    }

    void initAndOpen()
    {
        const fs::path path = m_root / "runs/one/repo.git"; // parents do not exist yet
        {
            Repository repo = Repository::initBare(path);
            QCOMPARE(repo.path(), path);
        }
        QVERIFY(fs::exists(path / "HEAD"));
        QVERIFY(!fs::exists(path / ".git"));
        Repository opened = Repository::openBare(path);
        QCOMPARE(opened.path(), path);
        Repository moved = std::move(opened);
        QCOMPARE(moved.path(), path);
        // Initializing again reopens what is there.
        QCOMPARE(Repository::initBare(path).path(), path);
    }

    void openMissingRepositoryThrows()
    {
        const fs::path missing = m_root / "no/such/repo.git";
        try {
            Repository::openBare(missing);
            QFAIL("opening a missing repository did not throw");
        } catch (const GitException& e) {
            QVERIFY2(QString(e.what()).contains(QString::fromStdString(missing.string())),
                     e.what());
            QVERIFY2(QString(e.what()).startsWith("cannot open repository"), e.what());
            QVERIFY(e.error().code < 0);
            QVERIFY(!e.error().message.empty());
        }
    }

    void missingObjectThrowsNamingRepository()
    {
        const fs::path path = m_root / "repo.git";
        Repository repo = Repository::initBare(path);
        const Oid missing = Oid::fromHex("0123456789abcdef0123456789abcdef01234567");
        try {
            repo.commitDirectory(m_root, {missing}, "orphan", {});
            QFAIL("a missing parent did not throw");
        } catch (const GitException& e) {
            QVERIFY2(QString(e.what()).contains("cannot look up commit " +
                                                QString::fromStdString(missing.hex()) + " in " +
                                                QString::fromStdString(path.string())),
                     e.what());
        }
        QVERIFY_THROWS_EXCEPTION(GitException, repo.messageOf(missing));
    }

    void commitDirectoryStoresModes_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("mode"); // as git ls-tree prints it; empty = not stored

        QTest::newRow("top-level file") << "README.md"
                                        << "100644";
        QTest::newRow("nested file") << "src/tools/edit.py"
                                     << "100644";
        QTest::newRow("empty file") << "src/tools/__init__.py"
                                    << "100644";
        QTest::newRow("executable") << "bin/run.sh"
                                    << "100755";
        QTest::newRow("binary") << "data/blob.bin"
                                << "100644";
        QTest::newRow("symlink to file") << "main.py"
                                         << "120000";
        QTest::newRow("symlink to folder") << "bin/src"
                                           << "120000";
        QTest::newRow("ignored folder") << "__pycache__/agent.cpython-311.pyc"
                                        << "";
        QTest::newRow("nested ignored folder") << "src/tools/__pycache__/edit.cpython-311.pyc"
                                               << "";
        QTest::newRow("ignored glob") << "src/stray.pyc"
                                      << "";
        QTest::newRow("folder empty after ignoring") << "cache"
                                                     << "";
        QTest::newRow("empty folder") << "empty"
                                      << "";
    }

    void commitDirectoryStoresModes()
    {
        QFETCH(QString, path);
        QFETCH(QString, mode);
        const fs::path repoPath = m_root / "repo.git";
        Repository repo = Repository::initBare(repoPath);
        writeAgentFolder(m_root / "agent");
        const Oid commit = repo.commitDirectory(m_root / "agent", {}, "first", pythonIgnores);

        // git ls-tree -r -t lists blobs, links and trees: "<mode> <type> <id>\t<path>".
        const QList<QByteArray> lines =
            runGit(repoPath, {"ls-tree", "-r", "-t", QString::fromStdString(commit.hex())})
                .split('\n');
        QString found;
        for (const QByteArray& line : lines) {
            if (line.endsWith("\t" + path.toUtf8()))
                found = QString::fromUtf8(line.left(6));
        }
        QCOMPARE(found, mode);
    }

    void readFile()
    {
        Repository repo = Repository::initBare(m_root / "repo.git");
        writeAgentFolder(m_root / "agent");
        const Oid commit = repo.commitDirectory(m_root / "agent", {}, "first", pythonIgnores);
        QCOMPARE(repo.readFile(commit, "src/tools/edit.py"),
                 std::optional<std::string>("def edit():\n    pass\n"));
        QCOMPARE(repo.readFile(commit, "data/blob.bin"),
                 std::optional<std::string>(std::string("\0\1\2binary\0", 10)));
        QCOMPARE(repo.readFile(commit, "main.py"), std::optional<std::string>("src/agent.py"));
        QCOMPARE(repo.readFile(commit, "src/missing.py"), std::nullopt);
        QCOMPARE(repo.readFile(commit, "src"), std::nullopt);
        QCOMPARE(repo.readFile(commit, "src/stray.pyc"), std::nullopt);
    }

    // What the llm proposer reads and writes: files straight from the repository, never
    // through a symlink, and edits committed without touching the disk.
    void readCommitFilesAndCommitEdits()
    {
        Repository repo = Repository::initBare(m_root / "repo.git");
        writeAgentFolder(m_root / "agent");
        const Oid base = repo.commitDirectory(m_root / "agent", {}, "first", pythonIgnores);
        std::vector<std::string> tooLarge;
        const auto files = readCommitFiles(
            repo.raw(), base, [](const std::string& path) { return path.rfind("README", 0) != 0; },
            12, &tooLarge);
        // main.py is a symlink: not read; README.md is not wanted; agent.py and run.sh are
        // over 12 bytes.
        const std::map<std::string, std::string> expected{
            {"data/blob.bin", std::string("\0\1\2binary\0", 10)},
            {"src/tools/__init__.py", ""}};
        QVERIFY(files.count("src/tools/edit.py") == 0);
        QCOMPARE(files, expected);
        QCOMPARE(tooLarge, (std::vector<std::string>{"bin/run.sh", "src/agent.py", "src/tools/edit.py"}));

        const Oid edited = commitEdits(repo.raw(), base,
                                       {{"bin/run.sh", "#!/bin/sh\necho edited\n"},
                                        {"src/new/module.py", "x = 1\n"}},
                                       {"README.md"}, {base}, "edit\n");
        QCOMPARE(repo.parentsOf(edited), std::vector<Oid>{base});
        QCOMPARE(repo.readFile(edited, "bin/run.sh"), std::optional<std::string>("#!/bin/sh\necho edited\n"));
        QCOMPARE(repo.readFile(edited, "src/new/module.py"), std::optional<std::string>("x = 1\n"));
        QCOMPARE(repo.readFile(edited, "README.md"), std::nullopt);
        QCOMPARE(repo.readFile(edited, "src/agent.py"), repo.readFile(base, "src/agent.py"));
        repo.checkout(edited, m_root / "out");
        // The executable bit of an edited file is kept.
        QVERIFY((fs::status(m_root / "out/bin/run.sh").permissions() & fs::perms::owner_exec) !=
                fs::perms::none);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 commitEdits(repo.raw(), base, {{"../escape.py", ""}}, {}, {base}, "x"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 commitEdits(repo.raw(), base, {}, {".git/config"}, {base}, "x"));
    }

    void checkoutRoundTrip()
    {
        Repository repo = Repository::initBare(m_root / "repo.git");
        const fs::path source = m_root / "agent";
        writeAgentFolder(source);
        // Only what a snapshot keeps, so the two folders must match exactly.
        fs::remove_all(source / "__pycache__");
        fs::remove_all(source / "src/tools/__pycache__");
        fs::remove_all(source / "cache");
        fs::remove_all(source / "empty");
        fs::remove(source / "src/stray.pyc");
        writeFile(source / "src/readonly.txt", "no trailing newline", fs::perms(0444));
        writeFile(source / "src/group-exec.sh", "x", fs::perms(0775)); // git keeps 755 only

        const Oid commit = repo.commitDirectory(source, {}, "snapshot", pythonIgnores);
        const fs::path target = m_root / "checkout/agent"; // parent missing too
        repo.checkout(commit, target);

        QMap<QString, QByteArray> expected = describeFolder(source);
        expected["src/readonly.txt"] = "644 no trailing newline";
        expected["src/group-exec.sh"] = "755 x";
        QCOMPARE(describeFolder(target), expected);

        // Snapshotting the checkout gives the same tree back.
        const Oid again = repo.commitDirectory(target, {commit}, "again", pythonIgnores);
        QCOMPARE(repo.treeOf(again), repo.treeOf(commit));
    }

    void checkoutRefusesNonEmptyFolder()
    {
        Repository repo = Repository::initBare(m_root / "repo.git");
        writeFile(m_root / "agent/a.txt", "a\n");
        const Oid commit = repo.commitDirectory(m_root / "agent", {}, "a", {});

        fs::create_directories(m_root / "empty");
        repo.checkout(commit, m_root / "empty"); // existing but empty is fine
        QCOMPARE(describeFolder(m_root / "empty").value("a.txt"), QByteArray("644 a\n"));

        QVERIFY_THROWS_EXCEPTION(fs::filesystem_error, repo.checkout(commit, m_root / "agent"));
        QCOMPARE(describeFolder(m_root / "agent").size(), 1);
    }

    void unchangedFolderGivesSameTree()
    {
        Repository repo = Repository::initBare(m_root / "repo.git");
        const fs::path dir = m_root / "agent";
        writeAgentFolder(dir);
        const Oid first = repo.commitDirectory(dir, {}, "first", pythonIgnores, fixedSignature());
        const Oid second = repo.commitDirectory(dir, {first}, "second", pythonIgnores);
        QVERIFY(first != second);
        QCOMPARE(repo.treeOf(second), repo.treeOf(first));

        // Same inputs and time: the very same commit, so snapshots are reproducible.
        QCOMPARE(repo.commitDirectory(dir, {}, "first", pythonIgnores, fixedSignature()), first);

        // Ignored files, empty folders and mtimes do not count as changes...
        writeFile(dir / "src/__pycache__/new.pyc", "junk");
        writeFile(dir / "new.pyc", "junk");
        fs::create_directories(dir / "another/empty");
        fs::last_write_time(dir / "README.md", fs::file_time_type::clock::now());
        const Oid third = repo.commitDirectory(dir, {second}, "third", pythonIgnores);
        QCOMPARE(repo.treeOf(third), repo.treeOf(first));

        // ...but content and the executable bit do.
        fs::permissions(dir / "README.md", fs::perms(0755));
        const Oid fourth = repo.commitDirectory(dir, {third}, "fourth", pythonIgnores);
        QVERIFY(repo.treeOf(fourth) != repo.treeOf(first));
        fs::permissions(dir / "README.md", fs::perms(0644));
        writeFile(dir / "README.md", "# agent, changed\n");
        const Oid fifth = repo.commitDirectory(dir, {fourth}, "fifth", pythonIgnores);
        QVERIFY(repo.treeOf(fifth) != repo.treeOf(first));
        QVERIFY(repo.treeOf(fifth) != repo.treeOf(fourth));
    }

    void emptyFolderGivesEmptyTree()
    {
        Repository repo = Repository::initBare(m_root / "repo.git");
        writeFile(m_root / "agent/only.pyc", "junk");
        const Oid commit = repo.commitDirectory(m_root / "agent", {}, "nothing", pythonIgnores);
        QCOMPARE(repo.treeOf(commit).hex(),
                 std::string("4b825dc642cb6eb9a060e54bf8d69288fbee4904"));
    }

    void parentsAndMessageRecorded()
    {
        Repository repo = Repository::initBare(m_root / "repo.git");
        const fs::path dir = m_root / "agent";
        writeFile(dir / "a.txt", "a\n");
        const Oid base = repo.commitDirectory(dir, {}, "base", {});
        writeFile(dir / "a.txt", "left\n");
        const Oid left = repo.commitDirectory(dir, {base}, "left", {});
        writeFile(dir / "a.txt", "right\n");
        const Oid right = repo.commitDirectory(dir, {base}, "right", {});
        const std::string message = "merge: node 7\n\nbody line\n";
        const Oid merge = repo.commitDirectory(dir, {left, right}, message, {});

        QCOMPARE(repo.parentsOf(base), std::vector<Oid>{});
        QCOMPARE(repo.parentsOf(left), std::vector<Oid>{base});
        QCOMPARE(repo.parentsOf(merge), (std::vector<Oid>{left, right}));
        QCOMPARE(repo.messageOf(merge), message);
        QCOMPARE(QString(runGit(m_root / "repo.git", {"log", "-1", "--format=%an <%ae>|%s",
                                                      QString::fromStdString(merge.hex())})),
                 QString("Clade <clade@localhost>|merge: node 7\n"));
    }

    void references()
    {
        Repository repo = Repository::initBare(m_root / "repo.git");
        writeFile(m_root / "agent/a.txt", "a\n");
        const Oid a = repo.commitDirectory(m_root / "agent", {}, "a", {});
        const Oid b = repo.commitDirectory(m_root / "agent", {a}, "b", {});

        QCOMPARE(repo.lookupReference("refs/clade/nodes/1"), std::nullopt);
        repo.setReference("refs/clade/nodes/1", a, "node 1 created");
        repo.setReference("refs/clade/nodes/2", b, "node 2 created");
        repo.setReference("refs/clade/nodes/sub/3", b, "nested");
        repo.setReference("refs/clade/best", b, "best so far");
        QCOMPARE(repo.lookupReference("refs/clade/nodes/1"), std::optional<Oid>(a));

        repo.setReference("refs/clade/nodes/1", b, "node 1 moved"); // force overwrite
        QCOMPARE(repo.lookupReference("refs/clade/nodes/1"), std::optional<Oid>(b));

        using List = std::vector<std::pair<std::string, Oid>>;
        QCOMPARE(repo.listReferences("refs/clade/nodes/"), (List{{"refs/clade/nodes/1", b},
                                                                 {"refs/clade/nodes/2", b},
                                                                 {"refs/clade/nodes/sub/3", b}}));
        QCOMPARE(repo.listReferences("refs/clade/"), (List{{"refs/clade/best", b},
                                                           {"refs/clade/nodes/1", b},
                                                           {"refs/clade/nodes/2", b},
                                                           {"refs/clade/nodes/sub/3", b}}));
        QCOMPARE(repo.listReferences("refs/other/"), List{});

        // References packed by `git gc` are listed and deleted the same way.
        runGit(m_root / "repo.git", {"pack-refs", "--all"});
        repo.deleteReference("refs/clade/nodes/2");
        repo.deleteReference("refs/clade/nodes/2"); // absent: no error
        repo.deleteReference("refs/clade/never");
        QCOMPARE(repo.lookupReference("refs/clade/nodes/2"), std::nullopt);
        QCOMPARE(repo.listReferences("refs/clade/nodes/"),
                 (List{{"refs/clade/nodes/1", b}, {"refs/clade/nodes/sub/3", b}}));

        // Another handle (as another thread would open) sees the same references.
        QCOMPARE(Repository::openBare(m_root / "repo.git").lookupReference("refs/clade/best"),
                 std::optional<Oid>(b));
        QVERIFY_THROWS_EXCEPTION(GitException, repo.setReference("refs/bad..name", a, "x"));
    }

    // A node's objects go into one pack of our own writing, which git itself accepts.
    void commitsArePacks()
    {
        Repository repo = Repository::initBare(m_root / "repo.git");
        writeAgentFolder(m_root / "agent");
        const Oid root = repo.commitDirectory(m_root / "agent", {}, "root", pythonIgnores);
        writeFile(m_root / "agent/src/solver.py", "def solve():\n    return 43\n");
        const Oid child = repo.commitDirectory(m_root / "agent", {root}, "child", pythonIgnores);
        const Oid edited = commitEdits(repo.raw(), child, {{"notes.md", "edited\n"}}, {}, {child}, "edit");

        const auto files = [&](const std::string& folder) {
            std::vector<fs::path> found;
            for (const auto& e : fs::recursive_directory_iterator(m_root / "repo.git/objects" / folder))
                if (e.is_regular_file())
                    found.push_back(e.path());
            return found;
        };
        int packs = 0;
        for (const auto& file : files("pack"))
            if (file.extension() == ".idx") {
                ++packs;
                QVERIFY(runGit({}, {"verify-pack", QString::fromStdString(file.string())}) != "<git failed>");
            }
        QCOMPARE(packs, 3); // one per commit
        int loose = 0;
        for (const auto& e : fs::directory_iterator(m_root / "repo.git/objects"))
            if (e.is_directory() && e.path().filename() != "pack" && e.path().filename() != "info")
                loose += static_cast<int>(std::distance(fs::directory_iterator(e.path()), fs::directory_iterator()));
        QCOMPARE(loose, 0);
        QCOMPARE(runGit(m_root / "repo.git", {"fsck", "--full", "--strict", "--no-dangling"}), QByteArray());
        // Read back by this handle and by a fresh one.
        QCOMPARE(repo.readFile(child, "src/solver.py").value_or(""), std::string("def solve():\n    return 43\n"));
        Repository other = Repository::openBare(m_root / "repo.git");
        QCOMPARE(other.readFile(edited, "notes.md").value_or(""), std::string("edited\n"));
        QCOMPARE(other.parentsOf(edited), std::vector<Oid>{child});
        // Writes outside a commit of this kind still work on the same handle (loose).
        const Oid outside = clade::git::commitFileSet(repo.raw(), {{"x.txt", "x\n"}}, {}, "outside");
        QCOMPARE(Repository::openBare(m_root / "repo.git").readFile(outside, "x.txt").value_or(""), std::string("x\n"));
    }

    // Many node packs are merged into one; a handle that knew the old packs still reads
    // every object (libgit2 skips the removed packs and rescans the folder).
    void packsAreMergedWhileReadersKeepReading()
    {
        Repository repo = Repository::initBare(m_root / "repo.git");
        std::vector<Oid> commits;
        for (int i = 0; i < 12; ++i) {
            writeFile(m_root / "agent/a.txt", "version " + std::to_string(i) + "\n");
            commits.push_back(repo.commitDirectory(m_root / "agent", commits.empty() ? std::vector<Oid>{} : std::vector<Oid>{commits.back()},
                                                   "v" + std::to_string(i), {}));
        }
        Repository reader = Repository::openBare(m_root / "repo.git");
        QCOMPARE(reader.readFile(commits[3], "a.txt").value_or(""), std::string("version 3\n")); // loads the pack list
        QCOMPARE(consolidatePacks(repo.raw(), 20), 0); // under the limit: nothing to do
        QCOMPARE(consolidatePacks(repo.raw(), 4), 12);
        int packs = 0;
        for (const auto& e : fs::directory_iterator(m_root / "repo.git/objects/pack"))
            packs += e.path().extension() == ".idx";
        QCOMPARE(packs, 1);
        for (int i = 0; i < 12; ++i)
            QCOMPARE(reader.readFile(commits[static_cast<size_t>(i)], "a.txt").value_or(""),
                     "version " + std::to_string(i) + "\n");
        QCOMPARE(runGit(m_root / "repo.git", {"fsck", "--full", "--strict", "--no-dangling"}), QByteArray());
    }

    // What a writer killed mid-pack leaves is removed; whole packs stay.
    void unfinishedPacksAreRemoved()
    {
        Repository repo = Repository::initBare(m_root / "repo.git");
        writeFile(m_root / "agent/a.txt", "a\n");
        const Oid commit = repo.commitDirectory(m_root / "agent", {}, "a", {});
        const fs::path packDir = m_root / "repo.git/objects/pack";
        writeFile(packDir / "pack-0123456789012345678901234567890123456789.pack", "PACK cut short");
        writeFile(packDir / "pack-1111111111111111111111111111111111111111.idx", "an index without its pack");
        writeFile(packDir / "pack-aaaa.idx.tmp-123", "half an index");
        writeFile(packDir / "pack_git2_AbCdEf", "libgit2's indexer, cut short");
        const auto repair = repairPackFolder(m_root / "repo.git");
        QCOMPARE(repair.removed, 4);
        QCOMPARE(repair.rebuilt, 0);
        for (const auto& e : fs::directory_iterator(packDir))
            QVERIFY2(e.path().filename().string().rfind("pack-", 0) == 0 &&
                         e.path().filename().string().find("0123456789") == std::string::npos &&
                         e.path().filename().string().find("1111111111") == std::string::npos,
                     e.path().c_str());
        QCOMPARE(Repository::openBare(m_root / "repo.git").readFile(commit, "a.txt").value_or(""), std::string("a\n"));
    }

    // writePack() does not fsync indexes: whatever a crash leaves of one is rebuilt from
    // its pack, and the objects read back.
    void damagedIndexesAreRebuilt_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::newRow("empty") << "empty";
        QTest::newRow("cut short") << "cut";
        QTest::newRow("zero-filled") << "zeros";
        QTest::newRow("one byte changed") << "flip";
        QTest::newRow("another pack's index") << "other";
    }
    void damagedIndexesAreRebuilt()
    {
        QFETCH(QString, damage);
        Oid first;
        Oid second;
        {
            // Closed before the damage: libgit2 maps index files, and a crash leaves no
            // process that had them mapped.
            Repository repo = Repository::initBare(m_root / "repo.git");
            writeFile(m_root / "agent/a.txt", "a\n");
            writeFile(m_root / "agent/src/b.py", "b = 1\n");
            first = repo.commitDirectory(m_root / "agent", {}, "first", {});
            writeFile(m_root / "agent/a.txt", "a, changed\n");
            second = repo.commitDirectory(m_root / "agent", {first}, "second", {});
        }
        const fs::path packDir = m_root / "repo.git/objects/pack";
        std::vector<fs::path> indexes;
        for (const auto& e : fs::directory_iterator(packDir))
            if (e.path().extension() == ".idx")
                indexes.push_back(e.path());
        std::sort(indexes.begin(), indexes.end());
        QCOMPARE(indexes.size(), size_t(2));
        const fs::path victim = indexes[0];
        for (const auto& idx : indexes) {
            fs::path pack = idx;
            QVERIFY(clade::git::packIndexIsWhole(idx, pack.replace_extension(".pack")));
        }
        std::ifstream in(victim, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        in.close();
        const std::string whole = bytes;
        if (damage == "empty")
            bytes.clear();
        else if (damage == "cut")
            bytes.resize(bytes.size() / 2);
        else if (damage == "zeros")
            bytes.assign(bytes.size(), '\0');
        else if (damage == "flip")
            bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x40);
        else {
            std::ifstream other(indexes[1], std::ios::binary);
            bytes.assign((std::istreambuf_iterator<char>(other)), std::istreambuf_iterator<char>());
        }
        writeFile(victim, bytes);
        fs::path victimPack = victim;
        victimPack.replace_extension(".pack");
        QVERIFY(!clade::git::packIndexIsWhole(victim, victimPack));

        const auto repair = repairPackFolder(m_root / "repo.git");
        QCOMPARE(repair.rebuilt, 1);
        QCOMPARE(repair.removed, 0);
        QVERIFY(repair.damaged.empty());
        QVERIFY(clade::git::packIndexIsWhole(victim, victimPack));
        Repository fresh = Repository::openBare(m_root / "repo.git");
        QCOMPARE(fresh.readFile(first, "a.txt").value_or(""), std::string("a\n"));
        QCOMPARE(fresh.readFile(first, "src/b.py").value_or(""), std::string("b = 1\n"));
        QCOMPARE(fresh.readFile(second, "a.txt").value_or(""), std::string("a, changed\n"));
        QCOMPARE(runGit(m_root / "repo.git", {"verify-pack", QString::fromStdString(victim.string())}), QByteArray());
        QCOMPARE(runGit(m_root / "repo.git", {"fsck", "--full", "--strict", "--no-dangling"}), QByteArray());
        // A whole folder is left as it is.
        QCOMPARE(repairPackFolder(m_root / "repo.git").rebuilt, 0);
    }

    // A pack that cannot be indexed is set aside for a person, not deleted.
    void unreadablePackIsSetAside()
    {
        {
            Repository repo = Repository::initBare(m_root / "repo.git");
            writeFile(m_root / "agent/a.txt", "a\n");
            repo.commitDirectory(m_root / "agent", {}, "a", {});
        }
        const fs::path packDir = m_root / "repo.git/objects/pack";
        fs::path pack;
        for (const auto& e : fs::directory_iterator(packDir))
            if (e.path().extension() == ".pack")
                pack = e.path();
        fs::path idx = pack;
        idx.replace_extension(".idx");
        writeFile(idx, "");
        writeFile(pack, "PACK but nothing a pack should hold after this");
        const auto repair = repairPackFolder(m_root / "repo.git");
        QCOMPARE(repair.damaged, std::vector<std::string>{pack.string()});
        QVERIFY(fs::exists(pack.string() + ".damaged"));
        QVERIFY(!fs::exists(pack));
        QVERIFY(!fs::exists(idx));
    }

    // The engine's node references: written without fsync, through git's lock protocol,
    // read back by libgit2 like any other reference.
    void derivedReferences()
    {
        Repository repo = Repository::initBare(m_root / "repo.git");
        writeFile(m_root / "agent/a.txt", "a\n");
        const Oid a = repo.commitDirectory(m_root / "agent", {}, "a", {});
        const Oid b = repo.commitDirectory(m_root / "agent", {a}, "b", {});

        repo.setDerivedReference("refs/clade/nodes/7", a);
        QCOMPARE(repo.lookupReference("refs/clade/nodes/7"), std::optional<Oid>(a));
        QCOMPARE(Repository::openBare(m_root / "repo.git").lookupReference("refs/clade/nodes/7"),
                 std::optional<Oid>(a));
        repo.setDerivedReference("refs/clade/nodes/7", b); // overwrites
        QCOMPARE(repo.lookupReference("refs/clade/nodes/7"), std::optional<Oid>(b));
        QVERIFY(!fs::exists(m_root / "repo.git/refs/clade/nodes/7.lock"));

        // Someone else holds the lock: refused, the reference keeps its value.
        writeFile(m_root / "repo.git/refs/clade/nodes/7.lock", "");
        QVERIFY_THROWS_EXCEPTION(GitException, repo.setDerivedReference("refs/clade/nodes/7", a));
        QCOMPARE(repo.lookupReference("refs/clade/nodes/7"), std::optional<Oid>(b));

        QVERIFY_THROWS_EXCEPTION(GitException, repo.setDerivedReference("refs/bad..name", a));
        QVERIFY_THROWS_EXCEPTION(GitException, repo.setDerivedReference("HEAD", a));
        QVERIFY_THROWS_EXCEPTION(GitException, repo.setDerivedReference("refs/../../x", a));
        QVERIFY(!fs::exists(m_root / "x"));
    }

    // Node references written many at a time into packed-refs, as git writes that file:
    // other entries (and an annotated tag's peeled line) are kept, git and libgit2 read it.
    void packedReferences()
    {
        Repository repo = Repository::initBare(m_root / "repo.git");
        writeFile(m_root / "agent/a.txt", "a\n");
        const Oid a = repo.commitDirectory(m_root / "agent", {}, "a", {});
        const Oid b = repo.commitDirectory(m_root / "agent", {a}, "b", {});
        const fs::path gitDir = m_root / "repo.git";
        QCOMPARE(runGit(gitDir, {"-c", "user.name=t", "-c", "user.email=t@t", "tag", "-a", "-m", "v1",
                                 "v1", QString::fromStdString(a.hex())}), QByteArray());
        QCOMPARE(runGit(gitDir, {"pack-refs", "--all"}), QByteArray());

        QVERIFY(clade::git::addPackedReferences(gitDir, {{"refs/clade/nodes/2", b}, {"refs/clade/nodes/1", a}}, false));
        QCOMPARE(Repository::openBare(gitDir).lookupReference("refs/clade/nodes/1"), std::optional<Oid>(a));
        QCOMPARE(repo.lookupReference("refs/clade/nodes/2"), std::optional<Oid>(b));
        const QByteArray listed = runGit(gitDir, {"show-ref", "-d"});
        QVERIFY2(listed.contains("refs/tags/v1^{}"), listed.constData()); // the peeled line
        QVERIFY(listed.contains(QByteArray::fromStdString(a.hex() + " refs/clade/nodes/1")));
        QVERIFY(listed.contains(QByteArray::fromStdString(b.hex() + " refs/clade/nodes/2")));
        QCOMPARE(runGit(gitDir, {"fsck", "--full", "--strict", "--no-dangling"}), QByteArray());
        // Sorted by name, as its header says ("10" after "1", before "2").
        QVERIFY(clade::git::addPackedReferences(gitDir, {{"refs/clade/nodes/10", b}, {"refs/clade/nodes/1", b}}, true));
        const auto file = clade::git::readPackedReferences(gitDir);
        QCOMPARE(file.damagedLines, 0);
        QVERIFY(std::is_sorted(file.refs.begin(), file.refs.end(),
                               [](const auto& x, const auto& y) { return x.name < y.name; }));
        QCOMPARE(file.refs.size(), size_t(4));
        QCOMPARE(repo.lookupReference("refs/clade/nodes/1"), std::optional<Oid>(b)); // replaced

        // Someone else holds the lock: nothing is written.
        writeFile(gitDir / "packed-refs.lock", "");
        QVERIFY(!clade::git::addPackedReferences(gitDir, {{"refs/clade/nodes/3", a}}, false));
        QVERIFY(!repo.lookupReference("refs/clade/nodes/3"));
        fs::remove(gitDir / "packed-refs.lock");
        QVERIFY_THROWS_EXCEPTION(GitException, clade::git::addPackedReferences(gitDir, {{"refs/bad..name", a}}, false));

        // What a crash may leave of an unsynced file: libgit2 refuses it whole; the damaged
        // lines are dropped and the rest reads again.
        std::ofstream(gitDir / "packed-refs", std::ios::app) << std::string(40, '\0') << "\n0123 refs/cut\n";
        QVERIFY_THROWS_EXCEPTION(GitException, Repository::openBare(gitDir).listReferences("refs/"));
        QCOMPARE(clade::git::dropDamagedPackedReferences(gitDir), 2);
        QCOMPARE(clade::git::dropDamagedPackedReferences(gitDir), 0);
        QCOMPARE(Repository::openBare(gitDir).lookupReference("refs/clade/nodes/10"), std::optional<Oid>(b));
        QCOMPARE(runGit(gitDir, {"fsck", "--full", "--strict", "--no-dangling"}), QByteArray());
    }

    void diffStats_data()
    {
        QTest::addColumn<Files>("before");
        QTest::addColumn<Files>("after");
        QTest::addColumn<int>("filesChanged");
        QTest::addColumn<int>("insertions");
        QTest::addColumn<int>("deletions");
        QTest::addColumn<QString>("files");

        const Files base = {{"keep.txt", "k\n"}, {"a.txt", "1\n2\n3\n4\n5\n"}};

        Files added = base;
        added["src/new.py"] = "x = 1\ny = 2\nz = 3\n";
        QTest::newRow("add") << base << added << 1 << 3 << 0 << "A src/new.py +3 -0";

        Files deleted = base;
        deleted.remove("a.txt");
        QTest::newRow("delete") << base << deleted << 1 << 0 << 5 << "D a.txt +0 -5";

        Files modified = base;
        modified["a.txt"] = "1\nTWO\n3\n4\n5\nsix\nseven\n";
        QTest::newRow("modify") << base << modified << 1 << 3 << 1 << "M a.txt +3 -1";

        Files mixed = added;
        mixed.remove("keep.txt");
        mixed["a.txt"] = "1\n2\n3\n";
        QTest::newRow("add, modify, delete")
            << base << mixed << 3 << 3 << 3
            << "M a.txt +0 -2; D keep.txt +0 -1; A src/new.py +3 -0";

        Files binary = base;
        binary["img.bin"] = QByteArray("\x89PNG\0\0\0\r", 8);
        QTest::newRow("binary") << base << binary << 1 << 0 << 0 << "A img.bin binary";

        Files renamed = {{"keep.txt", "k\n"}, {"b.txt", "1\n2\n3\n4\n5\n"}};
        QTest::newRow("rename") << base << renamed << 1 << 0 << 0 << "R a.txt->b.txt +0 -0";

        QTest::newRow("unchanged") << base << base << 0 << 0 << 0 << "";
    }

    void diffStats()
    {
        QFETCH(Files, before);
        QFETCH(Files, after);
        QFETCH(int, filesChanged);
        QFETCH(int, insertions);
        QFETCH(int, deletions);
        QFETCH(QString, files);

        Repository repo = Repository::initBare(m_root / "repo.git");
        writeFiles(m_root / "before", before);
        writeFiles(m_root / "after", after);
        const Oid from = repo.commitDirectory(m_root / "before", {}, "before", {});
        const Oid to = repo.commitDirectory(m_root / "after", {from}, "after", {});

        const DiffStats stats = repo.diffStats(from, to);
        QCOMPARE(describe(stats), files);
        QCOMPARE(stats.filesChanged, filesChanged);
        QCOMPARE(stats.insertions, insertions);
        QCOMPARE(stats.deletions, deletions);
    }

    void diffStatsFromEmptyTreeAndTypeChange()
    {
        Repository repo = Repository::initBare(m_root / "repo.git");
        const fs::path dir = m_root / "agent";
        writeFiles(dir, {{"a.txt", "1\n2\n"}, {"src/b.py", "pass\n"}});
        const Oid first = repo.commitDirectory(dir, {}, "first", {});
        QCOMPARE(describe(repo.diffStats(Oid(), first)),
                 QString("A a.txt +2 -0; A src/b.py +1 -0"));

        fs::remove(dir / "a.txt");
        fs::create_symlink("src/b.py", dir / "a.txt");
        fs::permissions(dir / "src/b.py", fs::perms(0755));
        const Oid second = repo.commitDirectory(dir, {first}, "second", {});
        const DiffStats stats = repo.diffStats(first, second);
        QCOMPARE(describe(stats), QString("T a.txt +1 -2; M src/b.py +0 -0"));
    }

    void diffPatch()
    {
        Repository repo = Repository::initBare(m_root / "repo.git");
        const fs::path dir = m_root / "agent";
        writeFiles(dir, {{"a.txt", "one\ntwo\nthree\nfour\nfive\n"}, {"gone.txt", "bye\n"}});
        const Oid from = repo.commitDirectory(dir, {}, "from", {});
        writeFiles(dir, {{"a.txt", "one\ntwo\nTHREE\nfour\nfive\n"}, {"new.txt", "hello\n"}});
        fs::remove(dir / "gone.txt");
        const Oid to = repo.commitDirectory(dir, {from}, "to", {});

        const QString patch = QString::fromStdString(repo.diffPatch(from, to));
        const QStringList expectedLines = {"diff --git a/a.txt b/a.txt",
                                           "--- a/a.txt",
                                           "+++ b/a.txt",
                                           "@@ -1,5 +1,5 @@",
                                           " two",
                                           "-three",
                                           "+THREE",
                                           " four",
                                           "deleted file mode 100644",
                                           "--- a/gone.txt",
                                           "-bye",
                                           "new file mode 100644",
                                           "+++ b/new.txt",
                                           "@@ -0,0 +1 @@",
                                           "+hello"};
        const QStringList lines = patch.split('\n');
        for (const QString& line : expectedLines)
            QVERIFY2(lines.contains(line), qPrintable("missing '" + line + "' in:\n" + patch));

        const QString tight = QString::fromStdString(repo.diffPatch(from, to, 0));
        // Like git, the hunk header ends with the nearest line above as "function" context.
        QVERIFY2(tight.contains("@@ -3 +3 @@ two\n-three\n+THREE\n"), qPrintable(tight));
        QVERIFY(!tight.contains("\n two\n"));
        QCOMPARE(repo.diffPatch(from, from), std::string());
    }

    void diffPatchAppliesWithGit()
    {
        // The patch must be real git format: `git apply` turns `from` into `to`, including
        // renames, modes and a symlink that becomes a file. (Binary changes print as
        // "Binary files ... differ", as in `git diff`, and cannot be applied.)
        Repository repo = Repository::initBare(m_root / "repo.git");
        const fs::path dir = m_root / "agent";
        writeAgentFolder(dir);
        const Oid from = repo.commitDirectory(dir, {}, "from", pythonIgnores);
        writeFile(dir / "src/agent.py", "import tools\n\nprint('hello')\n");
        fs::rename(dir / "src/tools/edit.py", dir / "src/tools/edit2.py");
        fs::permissions(dir / "README.md", fs::perms(0755));
        fs::remove(dir / "main.py");
        writeFile(dir / "main.py", "now a file\n");
        writeFile(dir / "bin/new.sh", "#!/bin/sh\n", fs::perms(0755));
        const Oid to = repo.commitDirectory(dir, {from}, "to", pythonIgnores);

        const fs::path patched = m_root / "patched";
        repo.checkout(from, patched);
        writeFile(m_root / "change.patch", repo.diffPatch(from, to));
        runGit({}, {"apply", QString::fromStdString((m_root / "change.patch").string())}, patched);
        const fs::path expected = m_root / "expected";
        repo.checkout(to, expected);
        QCOMPARE(describeFolder(patched), describeFolder(expected));
    }

    void ignoreRules_data()
    {
        QTest::addColumn<QStringList>("patterns");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("isFolder");
        QTest::addColumn<bool>("ignored");

        const QStringList python = {"__pycache__/", "*.pyc"};
        QTest::newRow("folder at root") << python << "__pycache__" << true << true;
        QTest::newRow("folder nested") << python << "a/b/__pycache__" << true << true;
        QTest::newRow("folder pattern, file") << python << "a/__pycache__" << false << false;
        QTest::newRow("glob at root") << python << "x.pyc" << false << true;
        QTest::newRow("glob nested") << python << "a/b/x.pyc" << false << true;
        QTest::newRow("glob other ext") << python << "a/x.py" << false << false;
        QTest::newRow("path exact")
            << QStringList{"data/cache.db"} << "data/cache.db" << false << true;
        QTest::newRow("path elsewhere")
            << QStringList{"data/cache.db"} << "x/data/cache.db" << false << false;
        QTest::newRow("path glob stops at /")
            << QStringList{"data/*.db"} << "data/sub/cache.db" << false << false;
        QTest::newRow("anchored name") << QStringList{"/build/"} << "build" << true << true;
        QTest::newRow("anchored name, nested")
            << QStringList{"/build/"} << "src/build" << true << false;
        QTest::newRow("comment") << QStringList{"#x"} << "#x" << false << false;
    }

    void ignoreRules()
    {
        QFETCH(QStringList, patterns);
        QFETCH(QString, path);
        QFETCH(bool, isFolder);
        QFETCH(bool, ignored);
        std::vector<std::string> list;
        for (const QString& pattern : patterns)
            list.push_back(pattern.toStdString());
        QCOMPARE(IgnoreRules(list).ignores(path.toStdString(), isFolder), ignored);
    }

    void threadsWithOwnRepositoriesAndFsck()
    {
        const fs::path path = m_root / "repo.git";
        Repository::initBare(path);
        std::vector<std::thread> threads;
        std::vector<std::string> failures(4);
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                try {
                    Repository repo = Repository::openBare(path); // one per thread
                    const fs::path dir = m_root / ("agent" + std::to_string(t));
                    writeAgentFolder(dir);
                    Oid parent;
                    for (int i = 0; i < 5; ++i) {
                        writeFile(dir / "step.txt", std::to_string(t) + "/" + std::to_string(i));
                        parent = repo.commitDirectory(
                            dir, parent.isNull() ? std::vector<Oid>{} : std::vector{parent}, "step",
                            pythonIgnores);
                        repo.setReference("refs/clade/nodes/" + std::to_string(t) + "-" +
                                              std::to_string(i),
                                          parent, "step");
                    }
                } catch (const std::exception& e) {
                    failures[static_cast<std::size_t>(t)] = e.what();
                }
            });
        }
        for (std::thread& thread : threads)
            thread.join();
        for (const std::string& failure : failures)
            QVERIFY2(failure.empty(), failure.c_str());
        QCOMPARE(Repository::openBare(path).listReferences("refs/clade/nodes/").size(),
                 std::size_t(20));

        QProcess git;
        git.start("git", {"--git-dir=" + QString::fromStdString(path.string()), "fsck", "--full",
                          "--strict", "--no-dangling"});
        QVERIFY(git.waitForFinished(60000));
        const QByteArray errors = git.readAllStandardError();
        QVERIFY2(git.exitCode() == 0, errors.constData());
        QVERIFY2(!errors.contains("error") && !errors.contains("warning"), errors.constData());
    }
};

QTEST_GUILESS_MAIN(TestGitRepository)
#include "tst_gitrepository.moc"
