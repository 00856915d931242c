#include "engine/git/Repository.h"
#include "models/DiffFileListModel.h"
#include "ui/DiffEditor.h"
#include "ui/DiffView.h"

#include "support/Screenshot.h"

#include <QLabel>
#include <QListView>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextBlock>
#include "ui/DiffColors.h"
#include <QToolButton>
#include <QtTest>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using clade::git::Oid;
using clade::git::Repository;
using clade::ui::DiffEditor;
using clade::ui::DiffView;

namespace {

void writeFile(const fs::path& path, const std::string& content)
{
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}


const char* ParentAgent = R"(import json
import sys


def solve(task):
    """Answer one task."""
    words = task["prompt"].split()
    return " ".join(reversed(words))


def main():
    tasks = json.load(open(sys.argv[1]))
    for task in tasks:
        print(solve(task))


if __name__ == "__main__":
    main()
)";

const char* ChildAgent = R"(import json
import sys

MAX_WORDS = 64  # longer prompts are truncated


def solve(task):
    """Answer one task, ignoring punctuation."""
    words = [w.strip(".,!?") for w in task["prompt"].split()][:MAX_WORDS]
    return " ".join(reversed(words))


def main():
    tasks = json.load(open(sys.argv[1]))
    for task in tasks:
        print(solve(task))


if __name__ == "__main__":
    main()
)";

// The characters of the first line containing `needle` that carry the intra-line emphasis.
QString emphasised(const DiffEditor* editor, const QString& needle)
{
    for (QTextBlock block = editor->document()->begin(); block.isValid(); block = block.next()) {
        if (!block.text().contains(needle))
            continue;
        QString marked;
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            const QBrush background = fragment.charFormat().background();
            if (background.style() != Qt::NoBrush &&
                (background.color() == clade::ui::DiffColors::emphasis(clade::ui::DiffBlockData::Kind::Added) ||
                 background.color() == clade::ui::DiffColors::emphasis(clade::ui::DiffBlockData::Kind::Deleted)))
                marked += fragment.text();
        }
        return marked;
    }
    return QStringLiteral("<no line with %1>").arg(needle);
}

} // namespace

class TestDiffView : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void showsFilesOfTwoCommits();
    void rootShowsItsFiles();
    void identicalCommitsSayNoChanges();
    void staleAnswerIsDropped();
    void emptyStateAsksForANode();

private:
    QTemporaryDir m_dir;
    fs::path m_repo;
    std::string m_root;
    std::string m_child;
};

void TestDiffView::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const fs::path base = m_dir.path().toStdString();
    const fs::path work = base / "work";
    m_repo = base / "repo.git";
    Repository repo = Repository::initBare(m_repo);
    writeFile(work / "agent.py", ParentAgent);
    writeFile(work / "tools/fast.cpp",
              "#include <vector>\n\nint sum(const std::vector<int>& v)\n{\n"
              "    int total = 0; // running total\n"
              "    for (int x : v)\n        total += x;\n    return total;\n}\n");
    writeFile(work / "README.md", "# Agent\n");
    const Oid root = repo.commitDirectory(work, {}, "root", {});
    writeFile(work / "agent.py", ChildAgent);
    writeFile(work / "tools/fast.cpp",
              "#include <numeric>\n#include <vector>\n\n/* Sums with std::accumulate. */\n"
              "long sum(const std::vector<int>& v)\n{\n"
              "    return std::accumulate(v.begin(), v.end(), 0L);\n}\n");
    writeFile(work / "prompts/system.txt", "You are a careful solver.\n");
    fs::remove(work / "README.md");
    const Oid child = repo.commitDirectory(work, {root}, "child", {});
    m_root = root.hex();
    m_child = child.hex();
}

void TestDiffView::showsFilesOfTwoCommits()
{
    DiffView view;
    view.resize(1100, 640);
    view.show();
    QSignalSpy shown(&view, &DiffView::diffShown);
    view.showDiff(m_repo, m_root, m_child, QStringLiteral("Node 1 vs 0"));

    auto* list = view.findChild<QListView*>(QStringLiteral("diffFileList"));
    QVERIFY(list);
    QTRY_COMPARE(list->model()->rowCount(), 4);
    QCOMPARE(shown.count(), 1);
    QCOMPARE(list->model()->index(0, 0).data().toString(), QStringLiteral("README.md"));
    QCOMPARE(
        list->model()->index(0, 0).data(clade::models::DiffFileListModel::StatusRole).toString(),
        QStringLiteral("D"));
    QVERIFY(!view.isBusy());
    auto* summary = view.findChild<QLabel*>(QStringLiteral("diffSummary"));
    QVERIFY(summary->text().contains(QStringLiteral("4 files changed")));

    auto* unified = view.findChild<DiffEditor*>(QStringLiteral("unifiedDiff"));
    QVERIFY(unified && unified->isVisible());
    QVERIFY(unified->toPlainText().contains(QStringLiteral("MAX_WORDS = 64")));
    QCOMPARE(unified->fileCount(), 4);
    // Within a changed line, what changed is marked; the rest of the line is not.
    QCOMPARE(emphasised(unified, QStringLiteral("ignoring punctuation")),
             QStringLiteral(", ignoring punctuation"));
    QCOMPARE(emphasised(unified, QStringLiteral("Answer one task.")), QString());
    QCOMPARE(emphasised(unified, QStringLiteral("int sum(")), QStringLiteral("int"));
    QCOMPARE(emphasised(unified, QStringLiteral("long sum(")), QStringLiteral("long"));
    view.selectFile(1);
    QVERIFY(unified->textCursor().block().text().contains(QStringLiteral("agent.py")));
    testsupport::saveScreenshot(view, QStringLiteral("diffview_unified.png"));

    // Side by side: old text on the left, new on the right, same number of rows.
    auto* toggle = view.findChild<QToolButton*>(QStringLiteral("sideBySideButton"));
    QVERIFY(toggle);
    QTest::mouseClick(toggle, Qt::LeftButton);
    QVERIFY(view.isSideBySide());
    auto* oldSide = view.findChild<DiffEditor*>(QStringLiteral("oldSide"));
    auto* newSide = view.findChild<DiffEditor*>(QStringLiteral("newSide"));
    QVERIFY(oldSide && newSide && newSide->isVisible());
    QVERIFY(oldSide->toPlainText().contains(QStringLiteral("ignoring punctuation")) == false);
    QVERIFY(newSide->toPlainText().contains(QStringLiteral("ignoring punctuation")));
    QCOMPARE(oldSide->document()->blockCount(), newSide->document()->blockCount());
    QCOMPARE(emphasised(newSide, QStringLiteral("ignoring punctuation")),
             QStringLiteral(", ignoring punctuation"));
    QCOMPARE(emphasised(oldSide, QStringLiteral("int sum(")), QStringLiteral("int"));
    view.selectFile(1);
    testsupport::saveScreenshot(view, QStringLiteral("diffview_side_by_side.png"));

    // Next/previous file buttons walk the list.
    auto* next = view.findChild<QToolButton*>(QStringLiteral("nextFileButton"));
    QTest::mouseClick(next, Qt::LeftButton);
    QCOMPARE(list->currentIndex().row(), 2);
}

void TestDiffView::rootShowsItsFiles()
{
    DiffView view;
    view.resize(900, 500);
    view.show();
    view.showDiff(m_repo, std::string(), m_root, QStringLiteral("Node 0 (root)"));
    auto* list = view.findChild<QListView*>(QStringLiteral("diffFileList"));
    QTRY_COMPARE(list->model()->rowCount(), 3);
    for (int row = 0; row < 3; ++row)
        QCOMPARE(list->model()
                     ->index(row, 0)
                     .data(clade::models::DiffFileListModel::StatusRole)
                     .toString(),
                 QStringLiteral("A"));
    auto* banner = view.findChild<QLabel*>(QStringLiteral("diffBanner"));
    QVERIFY(banner->isVisible());
    QVERIFY(banner->text().contains(QStringLiteral("Root node")));
    testsupport::saveScreenshot(view, QStringLiteral("diffview_root.png"));
}

void TestDiffView::identicalCommitsSayNoChanges()
{
    DiffView view;
    QSignalSpy shown(&view, &DiffView::diffShown);
    view.showDiff(m_repo, m_child, m_child, QStringLiteral("Node 1 vs 1"));
    QVERIFY(shown.wait());
    QCOMPARE(shown.front().front().toInt(), 0);
    auto* message = view.findChild<QLabel*>(QStringLiteral("diffMessage"));
    QVERIFY(message->text().startsWith(QStringLiteral("No changes")));
}

void TestDiffView::staleAnswerIsDropped()
{
    DiffView view;
    QSignalSpy shown(&view, &DiffView::diffShown);
    // The first request is superseded before its answer can be handled.
    view.showDiff(m_repo, m_root, m_child, QStringLiteral("first"));
    view.showDiff(m_repo, std::string(), m_root, QStringLiteral("second"));
    QVERIFY(shown.wait());
    QCOMPARE(view.fileModel()->rowCount(), 3);
    QTest::qWait(0); // let a late first answer arrive, if any
    QTRY_VERIFY(!view.isBusy());
    QCOMPARE(shown.count(), 1);
    QCOMPARE(view.fileModel()->rowCount(), 3);
}

void TestDiffView::emptyStateAsksForANode()
{
    DiffView view;
    view.resize(700, 300);
    auto* message = view.findChild<QLabel*>(QStringLiteral("diffMessage"));
    QVERIFY(message->text().startsWith(QStringLiteral("Select a node")));
    view.showDiff(m_repo, m_root, m_child, QStringLiteral("x"));
    view.cancel();
    QVERIFY(!view.isBusy());
    QCOMPARE(message->text(), QStringLiteral("Diff cancelled"));
    testsupport::saveScreenshot(view, QStringLiteral("diffview_empty.png"));
}

QTEST_MAIN(TestDiffView)
#include "tst_diffview.moc"
