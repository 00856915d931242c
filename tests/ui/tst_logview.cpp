#include "models/LogTail.h"
#include "ui/LogView.h"
#include "ui/TextSearchBar.h"

#include "support/Screenshot.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabBar>
#include <QTemporaryDir>
#include <QtTest>

using clade::models::LogTail;
using clade::ui::LogView;

namespace {

void appendTo(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Append));
    QCOMPARE(file.write(bytes), bytes.size());
}


const QByteArray EvaluateLog =
    "[00:00.01] evaluate: node 3, 12 tasks, sandbox bwrap (no network, 2 GiB, 120 s)\n"
    "[00:00.02] solve: task arith-01 ... ok (0.41 s)\n"
    "[00:00.45] solve: task arith-02 ... ok (0.38 s)\n"
    "[00:00.84] solve: task strings-01 ... error: IndexError: list index out of range\n"
    "[00:01.20] solve: task strings-02 ... ok (0.36 s)\n"
    "[00:01.57] score: 11/12 tasks passed\n";

} // namespace

class TestLogView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void followsAGrowingLog();
    void newLogFileBecomesATab();
    void searchFindsMatches();
    void bigLogShowsItsEnd();
    void emptyStates();

private:
    std::unique_ptr<QTemporaryDir> m_run;
    QString m_folder; ///< artifacts/3
};

void TestLogView::init()
{
    m_run = std::make_unique<QTemporaryDir>();
    QVERIFY(m_run->isValid());
    m_folder = m_run->filePath(QStringLiteral("artifacts/3"));
    QVERIFY(QDir().mkpath(m_folder));
    appendTo(m_folder + QStringLiteral("/propose.log"),
             "propose: running agent's propose command\n");
    appendTo(m_folder + QStringLiteral("/evaluate.log"), EvaluateLog);
    appendTo(m_folder + QStringLiteral("/metrics.json"), "{}");
}

void TestLogView::followsAGrowingLog()
{
    LogView view;
    view.resize(900, 360);
    view.show();
    auto* tail = view.findChild<LogTail*>();
    QVERIFY(tail);
    QSignalSpy resets(tail, &LogTail::reset);
    QSignalSpy appends(tail, &LogTail::appended);

    view.showNode(m_run->path(), 3);
    QCOMPARE(view.logNames(),
             (QStringList{QStringLiteral("propose.log"), QStringLiteral("evaluate.log")}));
    view.selectLog(QStringLiteral("evaluate.log"));
    QTRY_VERIFY(view.text().contains(QStringLiteral("score: 11/12")));
    const int resetsBefore = resets.count();

    appendTo(m_folder + QStringLiteral("/evaluate.log"), "[00:01.60] done: score 0.917\n");
    QTRY_VERIFY(view.text().endsWith(QStringLiteral("done: score 0.917\n")));
    QVERIFY(appends.count() >= 1);
    QCOMPARE(resets.count(), resetsBefore); // appended, not reloaded
    QVERIFY(view.text().startsWith(QStringLiteral("[00:00.01] evaluate")));

    // A line written in two pieces, with a UTF-8 character split between them.
    const QByteArray line = "[00:01.70] note: ünïcode ok\n";
    const qsizetype split = line.indexOf("ü") + 1; // inside the two-byte sequence
    appendTo(m_folder + QStringLiteral("/evaluate.log"), line.left(split));
    QTRY_VERIFY(appends.count() >= 2);
    appendTo(m_folder + QStringLiteral("/evaluate.log"), line.mid(split));
    QTRY_VERIFY(view.text().endsWith(QStringLiteral("note: ünïcode ok\n")));
    QCOMPARE(resets.count(), resetsBefore);
    testsupport::saveScreenshot(view, QStringLiteral("logview_follow.png"));
}

void TestLogView::newLogFileBecomesATab()
{
    LogView view;
    view.showNode(m_run->path(), 3);
    QCOMPARE(view.logNames().size(), 2);
    appendTo(m_folder + QStringLiteral("/solve.log"), "solve: started\n");
    QTRY_COMPARE(view.logNames(),
                 (QStringList{QStringLiteral("propose.log"), QStringLiteral("solve.log"),
                              QStringLiteral("evaluate.log")}));
    auto* tabs = view.findChild<QTabBar*>(QStringLiteral("logTabs"));
    QCOMPARE(tabs->count(), 3);
    QCOMPARE(tabs->tabText(1), QStringLiteral("solve"));
    QCOMPARE(view.currentLog(), QStringLiteral("propose.log")); // selection kept
}

void TestLogView::searchFindsMatches()
{
    LogView view;
    view.resize(900, 360);
    view.show();
    view.showNode(m_run->path(), 3);
    view.selectLog(QStringLiteral("evaluate.log"));
    QTRY_VERIFY(view.text().contains(QStringLiteral("IndexError")));

    view.searchBar()->setText(QStringLiteral("solve: task"));
    QCOMPARE(view.searchBar()->matchCount(), 4);
    auto* text = view.findChild<QPlainTextEdit*>(QStringLiteral("logText"));
    QCOMPARE(text->textCursor().selectedText(), QStringLiteral("solve: task"));
    const int first = text->textCursor().selectionStart();
    view.searchBar()->findNext();
    QVERIFY(text->textCursor().selectionStart() > first);
    view.searchBar()->findPrevious();
    QCOMPARE(text->textCursor().selectionStart(), first);
    QCOMPARE(view.findChild<QLabel*>(QStringLiteral("searchCount"))->text(),
             QStringLiteral("1 of 4"));

    view.searchBar()->setText(QStringLiteral("indexerror"));
    QCOMPARE(view.searchBar()->matchCount(), 1); // case-insensitive
    testsupport::saveScreenshot(view, QStringLiteral("logview_search.png"));
    view.searchBar()->setText(QStringLiteral("no such text"));
    QCOMPARE(view.searchBar()->matchCount(), 0);
}

void TestLogView::bigLogShowsItsEnd()
{
    QByteArray big;
    for (int i = 0; i < 2000; ++i)
        big += "line " + QByteArray::number(i) + " of a long log\n";
    appendTo(m_folder + QStringLiteral("/big.log"), big);

    LogView view;
    view.setMaxBytes(4096);
    view.show();
    view.showNode(m_run->path(), 3);
    view.selectLog(QStringLiteral("big.log"));
    QTRY_VERIFY(view.text().endsWith(QStringLiteral("line 1999 of a long log\n")));
    QVERIFY(view.text().size() <= 4096);
    QVERIFY(view.text().startsWith(QStringLiteral("line "))); // starts on a whole line
    auto* note = view.findChild<QLabel*>(QStringLiteral("logNote"));
    QVERIFY(note->isVisible());
    QVERIFY(note->text().contains(QStringLiteral("end of the log")));
}

void TestLogView::emptyStates()
{
    LogView view;
    auto* empty = view.findChild<QLabel*>(QStringLiteral("logEmpty"));
    QVERIFY(empty->text().startsWith(QStringLiteral("Select a node")));
    view.showNode(m_run->path(), 7); // no folder yet
    QVERIFY(view.logNames().isEmpty());
    QCOMPARE(empty->text(), QStringLiteral("Node 7 has no logs yet"));
    // The node's folder and first log appear while we watch.
    QVERIFY(QDir().mkpath(m_run->filePath(QStringLiteral("artifacts/7"))));
    appendTo(m_run->filePath(QStringLiteral("artifacts/7/propose.log")), "proposing\n");
    QTRY_COMPARE(view.logNames(), QStringList{QStringLiteral("propose.log")});
    QTRY_COMPARE(view.text(), QStringLiteral("proposing\n"));
}

QTEST_MAIN(TestLogView)
#include "tst_logview.moc"
