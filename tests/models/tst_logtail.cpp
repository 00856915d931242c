#include "models/LogTail.h"
#include "support/NonAsciiCorpus.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using clade::models::LogTail;
namespace corpus = testsupport::corpus;

namespace {

void write(const QString& path, const QByteArray& bytes, QIODevice::OpenMode mode)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | mode));
    QCOMPARE(file.write(bytes), bytes.size());
}

} // namespace

class TestLogTail : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsFromTheOffset();
    void capKeepsTheEndOnAWholeLine();
    void shrunkFileRestarts();
    void missingFile();
    void followsAppends();
    void capInsideACharacterStartsOnTheNext();
    void nonAsciiCorpusStreams();
};

void TestLogTail::readsFromTheOffset()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.log"));
    write(path, "one\ntwo\n", QIODevice::Truncate);
    const LogTail::Chunk first = LogTail::readChunk(path, 0, 0, 1024, nullptr);
    QVERIFY(first.exists);
    QCOMPARE(first.bytes, QByteArray("one\ntwo\n"));
    QCOMPARE(first.end, 8);
    write(path, "three\n", QIODevice::Append);
    const LogTail::Chunk next = LogTail::readChunk(path, first.end, first.inode, 1024, nullptr);
    QVERIFY(!next.restart);
    QCOMPARE(next.bytes, QByteArray("three\n"));
    QCOMPARE(next.end, 14);
}

void TestLogTail::capKeepsTheEndOnAWholeLine()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.log"));
    write(path, "aaaa\nbbbb\ncccc\n", QIODevice::Truncate);
    const LogTail::Chunk chunk = LogTail::readChunk(path, 0, 0, 8, nullptr);
    QVERIFY(chunk.restart);
    QCOMPARE(chunk.bytes, QByteArray("cccc\n"));
    QCOMPARE(chunk.skipped, 10);
}

void TestLogTail::shrunkFileRestarts()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.log"));
    write(path, "a long first version\n", QIODevice::Truncate);
    const LogTail::Chunk first = LogTail::readChunk(path, 0, 0, 1024, nullptr);
    write(path, "short\n", QIODevice::Truncate);
    const LogTail::Chunk again = LogTail::readChunk(path, first.end, first.inode, 1024, nullptr);
    QVERIFY(again.restart);
    QCOMPARE(again.bytes, QByteArray("short\n"));
}

void TestLogTail::missingFile()
{
    QTemporaryDir dir;
    const LogTail::Chunk chunk =
        LogTail::readChunk(dir.filePath(QStringLiteral("none.log")), 0, 0, 1024, nullptr);
    QVERIFY(!chunk.exists);
    QVERIFY(chunk.error.isEmpty());
}

void TestLogTail::followsAppends()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.log"));
    write(path, "start\n", QIODevice::Truncate);
    LogTail tail;
    QSignalSpy reset(&tail, &LogTail::reset);
    QSignalSpy appended(&tail, &LogTail::appended);
    tail.open(path);
    QVERIFY(reset.wait());
    QCOMPARE(reset.front().front().toString(), QStringLiteral("start\n"));
    write(path, "more\n", QIODevice::Append);
    QTRY_COMPARE(appended.count(), 1);
    QCOMPARE(appended.front().front().toString(), QStringLiteral("more\n"));
    QCOMPARE(tail.offset(), 11);
    QCOMPARE(reset.count(), 1);
}

// One long line (no line break to start on) of ’, capped so the read starts inside one:
// the view starts on the next whole ’, not on a U+FFFD made of the cut one's last bytes.
void TestLogTail::capInsideACharacterStartsOnTheNext()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.log"));
    QByteArray line;
    for (int i = 0; i < 100; ++i)
        line += "’";
    write(path, line, QIODevice::Truncate);
    const LogTail::Chunk chunk = LogTail::readChunk(path, 0, 0, 31, nullptr);
    QVERIFY(chunk.restart);
    QCOMPARE(chunk.bytes, line.right(30));
    QCOMPARE(chunk.skipped, 270);
}

// The corpus written in pieces that split characters (and the ZWJ sequence) between
// appends: every character arrives whole; the bytes that are not UTF-8 show as U+FFFD.
void TestLogTail::nonAsciiCorpusStreams()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.log"));
    const QByteArray text = QByteArray::fromStdString(corpus::kWithInvalid + "\n" + corpus::kValid + "\n");
    write(path, text.left(2), QIODevice::Truncate); // inside the first ’
    LogTail tail;
    QSignalSpy reset(&tail, &LogTail::reset);
    QSignalSpy appended(&tail, &LogTail::appended);
    tail.open(path);
    QVERIFY(reset.wait());
    QString shown = reset.front().front().toString();
    qsizetype written = 2;
    for (const qsizetype piece : {7, 13, 5, 17, 3}) {
        write(path, text.mid(written, piece), QIODevice::Append);
        written += piece;
        QTRY_COMPARE(tail.offset(), written);
    }
    write(path, text.mid(written), QIODevice::Append);
    QTRY_COMPARE(tail.offset(), text.size());
    for (const auto& arguments : appended)
        shown += arguments.front().toString();
    QVERIFY(shown.contains(QString::fromStdString(corpus::kValid) + "\n"));
    QVERIFY(shown.startsWith(QString::fromStdString(corpus::kValid) + " a\uFFFDb c"));
    QVERIFY(shown.contains(QStringLiteral("|d\n")));
}

QTEST_GUILESS_MAIN(TestLogTail)
#include "tst_logtail.moc"
