#include "engine/git/Repository.h"
#include "engine/git/RunDiff.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace clade::git;

namespace {

void writeFile(const fs::path& path, const std::string& content)
{
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

std::string numberedLines(int from, int to)
{
    std::string text;
    for (int i = from; i <= to; ++i)
        text += "line " + std::to_string(i) + "\n";
    return text;
}

const DiffFile* findFile(const DiffResult& result, const std::string& path)
{
    for (const DiffFile& file : result.files)
        if (file.path == path)
            return &file;
    return nullptr;
}

} // namespace

class TestRunDiff : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void modifiedFileHasLineNumbers();
    void addedDeletedAndRenamed();
    void rootShowsAllFilesAdded();
    void binaryFile();
    void hugeFileIsSummarised();
    void lineCapTruncates();
    void cancelledStopsEarly();
    void badCommitIsAnError();

private:
    /// Snapshots the work folder as a commit on top of `parent` (none for a root).
    std::string commit(const std::string& parent = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    fs::path m_repoPath;
    fs::path m_work;
};

void TestRunDiff::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_repoPath = fs::path(m_dir->path().toStdString()) / "repo.git";
    m_work = fs::path(m_dir->path().toStdString()) / "work";
    fs::create_directories(m_work);
    Repository::initBare(m_repoPath);
}

std::string TestRunDiff::commit(const std::string& parent)
{
    Repository repo = Repository::openBare(m_repoPath);
    std::vector<Oid> parents;
    if (!parent.empty())
        parents.push_back(Oid::fromHex(parent));
    return repo.commitDirectory(m_work, parents, "snapshot", {}).hex();
}

void TestRunDiff::modifiedFileHasLineNumbers()
{
    writeFile(m_work / "agent.py", numberedLines(1, 10));
    const std::string first = commit();
    std::string changed = numberedLines(1, 4) + "inserted\n" + numberedLines(6, 10);
    writeFile(m_work / "agent.py", changed);
    const std::string second = commit(first);

    const DiffResult result = computeDiff(m_repoPath, first, second, nullptr);
    QVERIFY2(result.error.empty(), result.error.c_str());
    QCOMPARE(result.files.size(), std::size_t(1));
    const DiffFile& file = result.files.front();
    QCOMPARE(file.path, std::string("agent.py"));
    QCOMPARE(file.status, DiffFileStatus::Modified);
    QCOMPARE(file.insertions, 1);
    QCOMPARE(file.deletions, 1);
    QCOMPARE(result.insertions, 1);
    QCOMPARE(file.hunks.size(), std::size_t(1));
    const DiffHunk& hunk = file.hunks.front();
    QCOMPARE(hunk.oldStart, 2);
    QVERIFY(hunk.header.starts_with("@@ -2,7 +2,7 @@"));
    // 3 lines of context, the deletion, the addition, 3 lines of context.
    QCOMPARE(hunk.lines.size(), std::size_t(8));
    const DiffLine& deleted = hunk.lines[3];
    QCOMPARE(deleted.kind, DiffLineKind::Deleted);
    QCOMPARE(deleted.oldLine, 5);
    QCOMPARE(deleted.newLine, -1);
    QCOMPARE(deleted.text, std::string("line 5"));
    const DiffLine& added = hunk.lines[4];
    QCOMPARE(added.kind, DiffLineKind::Added);
    QCOMPARE(added.oldLine, -1);
    QCOMPARE(added.newLine, 5);
    QCOMPARE(added.text, std::string("inserted"));
    QCOMPARE(hunk.lines[5].oldLine, 6);
    QCOMPARE(hunk.lines[5].newLine, 6);
}

void TestRunDiff::addedDeletedAndRenamed()
{
    writeFile(m_work / "keep.py", "x = 1\n");
    writeFile(m_work / "gone.py", "y = 2\n");
    writeFile(m_work / "old_name.py", numberedLines(1, 30));
    const std::string first = commit();
    fs::remove(m_work / "gone.py");
    fs::rename(m_work / "old_name.py", m_work / "new_name.py");
    writeFile(m_work / "src/new.c", "int main(void) { return 0; }\n");
    const std::string second = commit(first);

    const DiffResult result = computeDiff(m_repoPath, first, second, nullptr);
    QVERIFY2(result.error.empty(), result.error.c_str());
    QCOMPARE(result.files.size(), std::size_t(3));
    const DiffFile* gone = findFile(result, "gone.py");
    QVERIFY(gone);
    QCOMPARE(gone->status, DiffFileStatus::Deleted);
    QCOMPARE(gone->deletions, 1);
    const DiffFile* renamed = findFile(result, "new_name.py");
    QVERIFY(renamed);
    QCOMPARE(renamed->status, DiffFileStatus::Renamed);
    QCOMPARE(renamed->oldPath, std::string("old_name.py"));
    QVERIFY(renamed->hunks.empty());
    const DiffFile* added = findFile(result, "src/new.c");
    QVERIFY(added);
    QCOMPARE(added->status, DiffFileStatus::Added);
    QCOMPARE(added->insertions, 1);
    QCOMPARE(added->hunks.front().lines.front().newLine, 1);
}

void TestRunDiff::rootShowsAllFilesAdded()
{
    writeFile(m_work / "a.py", "a\nb\n");
    writeFile(m_work / "b/c.cpp", "c\n");
    const std::string root = commit();

    const DiffResult result = computeDiff(m_repoPath, {}, root, nullptr);
    QVERIFY2(result.error.empty(), result.error.c_str());
    QCOMPARE(result.files.size(), std::size_t(2));
    for (const DiffFile& file : result.files)
        QCOMPARE(file.status, DiffFileStatus::Added);
    QCOMPARE(result.insertions, 3);
}

void TestRunDiff::binaryFile()
{
    writeFile(m_work / "model.bin", std::string("\0\1\2\3", 4));
    const std::string first = commit();
    writeFile(m_work / "model.bin", std::string("\0\1\2\4\5", 5));
    const std::string second = commit(first);

    const DiffResult result = computeDiff(m_repoPath, first, second, nullptr);
    QCOMPARE(result.files.size(), std::size_t(1));
    QVERIFY(result.files.front().binary);
    QVERIFY(result.files.front().hunks.empty());
}

void TestRunDiff::hugeFileIsSummarised()
{
    writeFile(m_work / "small.py", "a = 1\n");
    const std::string first = commit();
    writeFile(m_work / "small.py", "a = 2\n");
    writeFile(m_work / "data.csv", numberedLines(1, 5000));
    const std::string second = commit(first);

    DiffLimits limits;
    limits.maxFileBytes = 1024;
    const DiffResult result = computeDiff(m_repoPath, first, second, nullptr, limits);
    QVERIFY2(result.error.empty(), result.error.c_str());
    const DiffFile* huge = findFile(result, "data.csv");
    QVERIFY(huge);
    QVERIFY(huge->tooLarge);
    QVERIFY(!huge->binary);
    QVERIFY(huge->hunks.empty());
    QVERIFY(huge->newSize > 1024);
    QVERIFY(result.truncated);
    const DiffFile* small = findFile(result, "small.py");
    QVERIFY(small);
    QVERIFY(!small->tooLarge);
    QCOMPARE(small->hunks.size(), std::size_t(1));
}

void TestRunDiff::lineCapTruncates()
{
    writeFile(m_work / "a.py", numberedLines(1, 500));
    writeFile(m_work / "b.py", numberedLines(1, 500));
    const std::string root = commit();

    DiffLimits limits;
    limits.maxLinesPerFile = 100;
    limits.maxTotalLines = 150;
    const DiffResult result = computeDiff(m_repoPath, {}, root, nullptr, limits);
    QCOMPARE(result.files.size(), std::size_t(2));
    QVERIFY(result.truncated);
    const DiffFile& a = result.files[0];
    QVERIFY(a.truncated);
    QCOMPARE(a.insertions, 500); // counts stay exact
    QCOMPARE(a.hunks.front().lines.size(), std::size_t(100));
    const DiffFile& b = result.files[1];
    QVERIFY(b.truncated);
    QCOMPARE(b.hunks.front().lines.size(), std::size_t(50));
}

void TestRunDiff::cancelledStopsEarly()
{
    writeFile(m_work / "a.py", "a\n");
    const std::string root = commit();
    const std::atomic_bool cancel{true};
    const DiffResult result = computeDiff(m_repoPath, {}, root, &cancel);
    QVERIFY(result.cancelled);
    QVERIFY(result.files.empty());
}

void TestRunDiff::badCommitIsAnError()
{
    writeFile(m_work / "a.py", "a\n");
    commit();
    const DiffResult missing = computeDiff(m_repoPath, {}, std::string(40, 'a'), nullptr);
    QVERIFY(!missing.error.empty());
    const DiffResult noRepo = computeDiff(m_repoPath / "nope", {}, std::string(40, 'a'), nullptr);
    QVERIFY(!noRepo.error.empty());
}

QTEST_GUILESS_MAIN(TestRunDiff)
#include "tst_rundiff.moc"
