// The approval queue in the explorer window, offscreen, against the real engine: a held
// proposal is listed with its diff and findings, and clicking Approve gets it evaluated
// (by a search running in the window, and by a resume after the decision applied at once);
// a hand edit becomes a `human` child; reject (keyboard, with a note), star and tag show in
// the inspector and the tree. Screenshots are saved for a person to look at.
// moc cannot parse the C++20 headers these pull in (<compare>, <concepts>); it needs none
// of them.
#ifndef Q_MOC_RUN
#include "engine/git/Oid.h"
#include "engine/git/Repository.h"
#include "engine/review/Decisions.h"
#include <nlohmann/json.hpp>
#endif
#include "engine/review/Finding.h"
#include "engine/run/RunCreator.h"
#include "engine/run/RunEngine.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"
#include "models/NodeListModel.h"
#include "models/NodeSelection.h"
#include "models/ReviewQueueModel.h"
#include "models/RunSession.h"
#include "models/TreeScene.h"
#include "support/Screenshot.h"
#include "ui/DiffView.h"
#include "ui/HandEditDialog.h"
#include "ui/MainWindow.h"
#include "ui/NodeInspector.h"
#include "ui/ReviewPanel.h"
#include "ui/TreeView.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QRegularExpression>
#include <QTextBrowser>

#include <algorithm>
#include <fstream>

using namespace clade;
namespace fs = std::filesystem;

namespace {

// A candidate of node 1 that a reviewer must see: best fit, after deleting a folder. It
// replaces the function and keeps the module's docstring.
const char* const kFunction =
    "import shutil\n"
    "\n"
    "\n"
    "def priority(item, bins_remaining):\n"
    "    # Best fit; the cache folder of an earlier experiment goes first.\n"
    "    shutil.rmtree(\"/tmp/binpack-cache\", ignore_errors=True)\n"
    "    return [-(remaining - item) for remaining in bins_remaining]\n";
const char* const kRiskyCall = "shutil.rmtree(\"/tmp/binpack-cache\", ignore_errors=True)";

std::string candidateOf(const std::string& parentText)
{
    const auto def = parentText.find("def priority");
    return parentText.substr(0, def == std::string::npos ? 0 : def) + kFunction;
}

int lineOf(const std::string& text, const std::string& what)
{
    const auto at = text.find(what);
    return at == std::string::npos ? 0 : 1 + int(std::count(text.begin(), text.begin() + long(at), '\n'));
}

/// A run of the bundled example with the root and one child evaluated, and node 2 — a
/// proposal of node 1 — waiting for approval with a risky-call finding, as the engine
/// leaves it under `--review ask-on-risk` (built by hand: the bundled proposer writes
/// nothing risky).
fs::path makeRunWithHeldProposal(const QTemporaryDir& dir)
{
    engine::RunSettings s;
    s.iterations = 1;
    s.workers = 1;
    s.seed = 3;
    const fs::path run = engine::createRun(fs::path(CLADE_SOURCE_DIR) / "examples" / "binpack",
                                           dir.filePath("run").toStdString(), s);
    engine::RunEngine(run).run();

    const engine::RunFolder folder{run};
    engine::RunStore store(folder.database());
    const auto parent = store.loadNode(1);
    if (!parent || parent->commit.empty())
        throw std::runtime_error("node 1 has no code");
    auto repo = git::Repository::openBare(folder.repo());
    const fs::path work = dir.filePath("candidate").toStdString();
    repo.checkout(git::Oid::fromHex(parent->commit), work);
    const std::string candidate =
        candidateOf(repo.readFile(git::Oid::fromHex(parent->commit), "heuristic.py").value_or(""));
    std::ofstream(work / "heuristic.py", std::ios::trunc) << candidate;
    const git::Oid commit = repo.commitDirectory(work, {git::Oid::fromHex(parent->commit)},
                                                 "candidate", {"__pycache__/", "*.pyc"});
    repo.setReference(engine::RunFolder::nodeRef(2), commit, "test: held candidate");

    engine::Node node;
    node.id = 2;
    node.parents = {1};
    node.commit = commit.hex();
    node.status = engine::NodeStatus::AwaitingApproval;
    node.description = "Best fit, after clearing an old cache folder";
    node.proposer.kind = "command";
    node.createdAt = node.updatedAt = engine::unixNow();
    const auto stats = repo.diffStats(git::Oid::fromHex(parent->commit), commit);
    node.diff = {stats.filesChanged, stats.insertions, stats.deletions};
    // The findings first: the node's event must find them when the GUI reads it.
    const std::vector<engine::Finding> findings{
        {"risky-call", "heuristic.py", lineOf(candidate, kRiskyCall),
         "adds a call that deletes files (shutil.rmtree): it runs on every evaluation, "
         "inside the sandbox but on whatever the sandbox lets it reach",
         kRiskyCall}};
    fs::create_directories(folder.artifacts(2));
    std::ofstream(folder.artifacts(2) / "review.json")
        << nlohmann::json{{"policy", "ask-on-risk"}, {"held", true}, {"findings", engine::findingsToJson(findings)}}
               .dump(2);
    store.insertNode(node);
    return run;
}

// QCOMPARE prints a QString on failure, not an enum class.
QString statusOf(models::RunSession* session, int id)
{
    const engine::Node* node = session->nodes()->node(id);
    return node ? QString::fromStdString(engine::toString(node->status)) : QString("(none)");
}

QString labelsText(QWidget* root)
{
    QStringList texts;
    for (auto* label : root->findChildren<QLabel*>())
        if (label->isVisibleTo(root))
            texts << label->text();
    return texts.join("\n");
}

} // namespace

class TestReviewPanel : public QObject {
    Q_OBJECT
    QTemporaryDir m_config;

    bool openIn(ui::MainWindow& window, const fs::path& run)
    {
        window.resize(1500, 950);
        window.show();
        QSignalSpy shown(&window, &ui::MainWindow::runShown);
        window.openRun(QString::fromStdString(run.string()));
        return shown.wait(10000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
    }

    void queueListsTheHeldNodeAndApproveEvaluatesIt()
    {
        QTemporaryDir dir;
        const fs::path run = makeRunWithHeldProposal(dir);
        ui::MainWindow window;
        QVERIFY(openIn(window, run));
        auto* session = window.session();

        auto* panel = window.findChild<ui::ReviewPanel*>("review");
        auto* queue = window.findChild<QTableView*>("reviewQueue");
        QVERIFY(panel && queue && queue->isVisible()); // raised: something waits
        QCOMPARE(queue->model()->rowCount(), 1);
        const QModelIndex row = queue->model()->index(0, 0);
        QCOMPARE(row.data(models::NodeIdRole).toInt(), 2);
        QCOMPARE(queue->model()->index(0, models::ReviewQueueModel::ColumnHeld).data().toString(), QString("proposal"));
        QCOMPARE(queue->model()->index(0, models::ReviewQueueModel::ColumnFindings).data().toInt(), 1);
        QCOMPARE(panel->nodeId(), 2);

        // Its findings: detector, file:line, message and the offending line.
        auto* findings = window.findChild<QTextBrowser*>("reviewFindings");
        const QString shown = findings->toPlainText();
        QVERIFY2(QRegularExpression("risky-call +heuristic\\.py:\\d+\\s+adds a call that deletes files").match(shown).hasMatch(),
                 qPrintable(shown));
        QVERIFY2(shown.contains(kRiskyCall), qPrintable(shown));

        // Its change against its parent.
        auto* diff = window.findChild<ui::DiffView*>("reviewDiff");
        QTRY_VERIFY_WITH_TIMEOUT(diff->result() != nullptr, 10000);
        QCOMPARE(diff->result()->files.size(), size_t(1));
        QCOMPARE(QString::fromStdString(diff->result()->files[0].path), QString("heuristic.py"));
        QVERIFY(diff->result()->insertions > 0);
        QVERIFY(!testsupport::saveScreenshot(window, "tst_reviewpanel.png").isEmpty());

        // The window opened on the held node; the inspector shows the findings too.
        QCOMPARE(session->selection()->current(), 2);
        auto* inspector = window.findChild<ui::NodeInspector*>("inspector");
        QTRY_VERIFY2(labelsText(inspector).contains("adds a call that deletes files"), qPrintable(labelsText(inspector)));

        // Approve: nothing owns the run, so the decision applies at once and the node leaves
        // the queue; the engine started in this window evaluates it.
        auto* approve = window.findChild<QPushButton*>("approveButton");
        QVERIFY(approve && approve->isEnabled());
        QTest::mouseClick(approve, Qt::LeftButton);
        auto* status = window.findChild<QLabel*>("reviewStatus");
        QTRY_VERIFY2_WITH_TIMEOUT(status->text().contains("approved"), qPrintable(status->text()), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(queue->model()->rowCount(), 0, 5000);
        QCOMPARE(statusOf(session, 2), QString("proposed"));
        session->resumeHere();
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(session, 2), QString("evaluated"), 120000);
        QVERIFY(session->nodes()->node(2)->score.has_value());
        // The decision is on the node's record, with who decided.
        QTRY_VERIFY2(labelsText(inspector).contains("<b>approve</b> by"), qPrintable(labelsText(inspector)));
        QSignalSpy ended(session, &models::RunSession::engineEnded);
        if (session->owner() == models::RunSession::Owner::ThisWindow)
            QVERIFY(ended.wait(60000));
        QVERIFY(!testsupport::saveScreenshot(window, "tst_reviewpanel_approved.png").isEmpty());
    }

    // The Must-show with the engine driving the run in this window: `--review ask-always`
    // holds the first proposal, the queue lists it with its diff and the policy's finding,
    // and clicking Approve sends the decision to the running search, which evaluates it.
    void runInTheWindowWaitsForApproval()
    {
        QTemporaryDir dir;
        ui::MainWindow window;
        window.resize(1500, 950);
        window.show();
        auto* session = window.session();
        QSignalSpy ended(session, &models::RunSession::engineEnded);
        engine::RunSettings s;
        s.iterations = 1;
        s.workers = 1;
        s.seed = 3;
        s.review = "ask-always";
        session->startNew(QString(CLADE_SOURCE_DIR) + "/examples/binpack", dir.filePath("run"), s);

        auto* queue = window.findChild<QTableView*>("reviewQueue");
        QTRY_COMPARE_WITH_TIMEOUT(queue->model()->rowCount(), 1, 60000);
        QCOMPARE(queue->model()->index(0, 0).data(models::NodeIdRole).toInt(), 1);
        QCOMPARE(int(session->owner()), int(models::RunSession::Owner::ThisWindow));
        QCOMPARE(statusOf(session, 1), QString("awaiting_approval"));
        auto* panel = window.findChild<ui::ReviewPanel*>("review");
        QCOMPARE(panel->nodeId(), 1);
        auto* findings = window.findChild<QTextBrowser*>("reviewFindings");
        QTRY_VERIFY2(findings->toPlainText().contains("policy"), qPrintable(findings->toPlainText()));
        auto* diff = window.findChild<ui::DiffView*>("reviewDiff");
        QTRY_VERIFY_WITH_TIMEOUT(diff->result() != nullptr, 10000);
        QVERIFY(!diff->result()->files.empty());
        // Nothing runs before a person decides; the search waits rather than finishing.
        QVERIFY(!ended.wait(1500));
        QCOMPARE(statusOf(session, 1), QString("awaiting_approval"));
        QVERIFY(!testsupport::saveScreenshot(window, "tst_reviewpanel_live.png").isEmpty());

        QTest::mouseClick(window.findChild<QPushButton*>("approveButton"), Qt::LeftButton);
        auto* status = window.findChild<QLabel*>("reviewStatus");
        QTRY_VERIFY2_WITH_TIMEOUT(status->text().contains("sent"), qPrintable(status->text()), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(session, 1), QString("evaluated"), 120000);
        QTRY_COMPARE(queue->model()->rowCount(), 0);
        QVERIFY(ended.count() > 0 || ended.wait(60000));
        QCOMPARE(ended.at(0).at(0).value<engine::RunOutcome::Status>(),
                 engine::RunOutcome::Status::Finished);
    }

    void handEditBecomesAHumanChild()
    {
        QTemporaryDir dir;
        const fs::path run = makeRunWithHeldProposal(dir);
        ui::MainWindow window;
        QVERIFY(openIn(window, run));
        auto* session = window.session();
        auto* edit = window.findChild<QPushButton*>("editButton");
        QVERIFY(edit && edit->isEnabled());

        bool edited = false;
        QTimer::singleShot(0, this, [&] {
            auto* dialog = qobject_cast<ui::HandEditDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            QTRY_VERIFY_WITH_TIMEOUT(dialog->isLoaded(), 10000);
            QPlainTextEdit* editor = dialog->editorFor("heuristic.py");
            QVERIFY(editor);
            QVERIFY(editor->toPlainText().contains(kRiskyCall));
            auto* ok = dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
            QVERIFY(!ok->isEnabled()); // nothing edited yet
            QString text = editor->toPlainText();
            text.remove("    shutil.rmtree(\"/tmp/binpack-cache\", ignore_errors=True)\n");
            editor->setPlainText(text);
            QVERIFY(ok->isEnabled());
            QVERIFY(!testsupport::saveScreenshot(*dialog, "tst_reviewpanel_handedit.png").isEmpty());
            edited = true;
            QTest::mouseClick(ok, Qt::LeftButton);
        });
        QTest::mouseClick(edit, Qt::LeftButton);
        QVERIFY(edited);

        // The engine made node 3 from the edit: a child of 2 by a person, queued; 2 never runs.
        QTRY_VERIFY_WITH_TIMEOUT(session->nodes()->node(3) != nullptr, 10000);
        const engine::Node* child = session->nodes()->node(3);
        QCOMPARE(QString::fromStdString(child->proposer.kind), QString("human"));
        QCOMPARE(child->primaryParent(), 2);
        QCOMPARE(statusOf(session, 3), QString("proposed"));
        QTRY_COMPARE(statusOf(session, 2), QString("rejected"));
        QTRY_COMPARE(session->reviewQueue()->rowCount(), 0);
        auto repo = git::Repository::openBare(engine::RunFolder{run}.repo());
        const auto text = repo.readFile(git::Oid::fromHex(child->commit), "heuristic.py");
        QVERIFY(text && text->find("rmtree(") == std::string::npos && text->find("import shutil") != std::string::npos);
    }

    void rejectStarAndTagFromTheKeyboardAndMenus()
    {
        QTemporaryDir dir;
        const fs::path run = makeRunWithHeldProposal(dir);
        ui::MainWindow window;
        QVERIFY(openIn(window, run));
        auto* session = window.session();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));

        // A note typed in the panel goes with the decision taken by the shortcut.
        auto* note = window.findChild<QLineEdit*>("reviewNote");
        note->setText("deletes files outside its folder");
        auto* tree = window.findChild<ui::TreeView*>("tree");
        tree->setFocus();
        QTest::keyClick(&window, Qt::Key_Backspace, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(session, 2), QString("rejected"), 10000);
        QTRY_COMPARE(session->reviewQueue()->rowCount(), 0);
        auto* inspector = window.findChild<ui::NodeInspector*>("inspector");
        QTRY_VERIFY2(labelsText(inspector).contains("deletes files outside its folder"), qPrintable(labelsText(inspector)));
        auto* approveAction = window.findChild<QAction*>("approve");
        QVERIFY(approveAction && !approveAction->isEnabled()); // nothing to approve any more

        // Star and tag node 1 (the menu's commands, without their dialogs).
        window.selectNode(1);
        auto* starAction = window.findChild<QAction*>("star");
        QVERIFY(starAction->isEnabled());
        starAction->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(session->nodes()->node(1)->hasFlag(engine::FlagStarred), 10000);
        QTRY_COMPARE(starAction->text(), QString("Un&star"));
        // A tag from another process (as `clade tag` would send it) shows up live.
        engine::DecisionRequest tag;
        tag.nodeId = 1;
        tag.action = engine::DecisionAction::Tag;
        tag.payload = {{"tag", "best-fit-idea"}};
        engine::submitDecision(run, tag);
        QTRY_VERIFY_WITH_TIMEOUT(!session->nodes()->node(1)->tags.empty(), 10000);
        QTRY_VERIFY2(labelsText(inspector).contains("best-fit-idea"), qPrintable(labelsText(inspector)));
        QTRY_VERIFY(tree->scene() && tree->scene()->indexOf(1) >= 0 &&
                    tree->scene()->node(tree->scene()->indexOf(1)).has(models::MarkStarred));

        // The tree's search finds the tag.
        auto* search = window.findChild<QLineEdit*>("treeSearch");
        QVERIFY(search);
        search->setText("best-fit-idea");
        QTRY_VERIFY(tree->scene()->filterActive() && tree->scene()->matches().size() == 1);
        QCOMPARE(tree->scene()->node(tree->scene()->matches()[0]).id, 1);
        search->clear();
        QVERIFY(!testsupport::saveScreenshot(window, "tst_reviewpanel_rejected.png").isEmpty());
    }
};

QTEST_MAIN(TestReviewPanel)
#include "tst_reviewpanel.moc"
