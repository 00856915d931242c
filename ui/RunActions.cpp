#include "ui/RunActions.h"

#include "engine/importers/ImportedStrategy.h"

#include "engine/review/Decisions.h"
#include "models/DecisionSender.h"
#include "models/NodeListModel.h"
#include "models/NodeSelection.h"
#include "models/RunSession.h"
#include "ui/BranchDialog.h"
#include "ui/HandEditDialog.h"

#include <QAction>
#include <QApplication>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QStyle>
#include <QToolBar>

namespace clade::ui {
namespace {

namespace Action = engine::DecisionAction;
using engine::NodeStatus;

QAction* make(QObject* parent, const QString& text, const QString& name, QStyle::StandardPixmap icon,
              const QKeySequence& shortcut = {}, const QString& tip = {})
{
    auto* action = new QAction(QApplication::style()->standardIcon(icon), text, parent);
    action->setObjectName(name);
    if (!shortcut.isEmpty())
        action->setShortcut(shortcut);
    action->setToolTip(tip.isEmpty() ? text : tip);
    return action;
}

} // namespace

RunActions::RunActions(models::RunSession* session, QWidget* window)
    : QObject(window), m_session(session), m_window(window)
{
    using S = QStyle;
    newRun = make(this, tr("&New run…"), "newRun", S::SP_FileIcon, QKeySequence::New);
    openRun = make(this, tr("&Open run…"), "openRun", S::SP_DirOpenIcon, QKeySequence::Open,
                   tr("Open a Clade run folder, or a run folder of DGM, HGM, SICA or OpenEvolve"));
    openRunFile = make(this, tr("Open run &file…"), "openRunFile", S::SP_FileDialogStart, {},
                       tr("Open another system's run kept in one file: an ADAS archive, an AIDE "
                          "journal, a ShinkaEvolve database"));
    demo = make(this, tr("Run the &demo"), "demo", S::SP_ComputerIcon, {},
                tr("A new run of the bundled offline example"));
    resume = make(this, tr("&Start"), "resumeRun", S::SP_MediaPlay, QKeySequence(Qt::CTRL | Qt::Key_R),
                  tr("Start or resume the open run in this window"));
    pause = make(this, tr("&Pause"), "pauseRun", S::SP_MediaPause, {},
                 tr("Pause: running work finishes, nothing new starts"));
    unpause = make(this, tr("Res&ume"), "unpauseRun", S::SP_MediaSeekForward, {},
                   tr("Resume the paused run"));
    stop = make(this, tr("S&top"), "stopRun", S::SP_MediaStop, {},
                tr("Stop: running evaluations are cancelled and re-queued for a later resume"));
    quit = make(this, tr("&Quit"), "quit", S::SP_DialogCloseButton, QKeySequence::Quit);
    createReviewActions();
    // The review commands follow the selected node and its state, whoever changes it.
    connect(m_session->selection(), &models::NodeSelection::currentChanged, this, &RunActions::update);
    connect(m_session, &models::RunSession::nodesChanged, this, &RunActions::update);
    update();
}

void RunActions::createReviewActions()
{
    using S = QStyle;
    // Ctrl+Return and Ctrl+Backspace: a note field keeps Ctrl+Backspace (delete a word)
    // and passes Ctrl+Return on, so "type a note, Ctrl+Return" approves with it.
    approve = make(this, tr("&Approve"), "approve", S::SP_DialogApplyButton,
                   QKeySequence(Qt::CTRL | Qt::Key_Return),
                   tr("Approve the selected node: a held proposal is evaluated, a held keep is applied"));
    reject = make(this, tr("Re&ject"), "reject", S::SP_DialogDiscardButton,
                  QKeySequence(Qt::CTRL | Qt::Key_Backspace),
                  tr("Reject the selected node: it never runs and stays in the tree, greyed"));
    edit = make(this, tr("&Edit by hand…"), "editApprove", S::SP_FileDialogDetailedView,
                QKeySequence(Qt::CTRL | Qt::Key_E),
                tr("Edit the candidate's change; the edited version becomes a hand-made child "
                   "that is evaluated"));
    revert = make(this, tr("Re&vert"), "revert", S::SP_BrowserReload,
                  QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
                  tr("Mark the kept node reverted: the strategy stops building on its clade"));
    branch = make(this, tr("&Branch from here…"), "branch", S::SP_ArrowRight,
                  QKeySequence(Qt::CTRL | Qt::Key_B),
                  tr("Pin the node as the parent of the next expansions"));
    unpin = make(this, tr("U&npin"), "unpin", S::SP_ArrowBack, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B),
                 tr("The strategy chooses parents again"));
    star = make(this, tr("&Star"), "star", S::SP_DialogYesButton, QKeySequence(Qt::CTRL | Qt::Key_D),
                tr("Star or unstar the node"));
    note = make(this, tr("Add &note…"), "addNote", S::SP_FileDialogContentsView,
                QKeySequence(Qt::CTRL | Qt::Key_M), tr("Attach a note to the node"));
    tag = make(this, tr("Add &tag…"), "addTag", S::SP_FileDialogNewFolder, QKeySequence(Qt::CTRL | Qt::Key_T),
               tr("Tag the node (tags are searchable in the tree)"));
    untag = make(this, tr("Remove ta&g…"), "removeTag", S::SP_TrashIcon, {}, tr("Remove one of the node's tags"));
    for (QAction* a : {approve, reject, edit, revert, branch, unpin, star, note, tag, untag})
        a->setShortcutContext(Qt::WindowShortcut);

    connect(approve, &QAction::triggered, this, [this] { decide(current(), Action::Approve, noteFor(current())); });
    connect(reject, &QAction::triggered, this, [this] { decide(current(), Action::Reject, noteFor(current())); });
    connect(edit, &QAction::triggered, this, [this] { editNode(current(), noteFor(current())); });
    connect(revert, &QAction::triggered, this, [this] { decide(current(), Action::Revert, noteFor(current())); });
    connect(branch, &QAction::triggered, this, [this] { branchNode(current()); });
    connect(unpin, &QAction::triggered, this, [this] { decide(current(), Action::Unpin); });
    connect(star, &QAction::triggered, this, [this] {
        const engine::Node* node = m_session->nodes()->node(current());
        if (node)
            decide(node->id, node->hasFlag(engine::FlagStarred) ? Action::Unstar : Action::Star);
    });
    connect(note, &QAction::triggered, this, [this] { addNote(current()); });
    connect(tag, &QAction::triggered, this, [this] { addTag(current()); });
    connect(untag, &QAction::triggered, this, [this] { removeTag(current()); });

    m_nodeMenu = new QMenu(m_window);
    m_nodeMenu->setObjectName("nodeMenu");
    for (QAction* a : {approve, reject, edit})
        m_nodeMenu->addAction(a);
    m_nodeMenu->addSeparator();
    for (QAction* a : {revert, branch, unpin})
        m_nodeMenu->addAction(a);
    m_nodeMenu->addSeparator();
    for (QAction* a : {star, note, tag, untag})
        m_nodeMenu->addAction(a);
}

void RunActions::fillToolBar(QToolBar* bar) const
{
    bar->addAction(newRun);
    bar->addAction(openRun);
    bar->addSeparator();
    bar->addAction(resume);
    bar->addAction(pause);
    bar->addAction(unpause);
    bar->addAction(stop);
    bar->addSeparator();
    bar->addAction(approve);
    bar->addAction(reject);
    bar->addAction(revert);
    bar->addAction(branch);
}

void RunActions::fillMenus(QMenuBar* menus) const
{
    QMenu* file = menus->addMenu(tr("&File"));
    file->addAction(newRun);
    file->addAction(openRun);
    file->addAction(openRunFile);
    file->addAction(demo);
    file->addSeparator();
    file->addAction(quit);
    QMenu* run = menus->addMenu(tr("&Run"));
    run->addAction(resume);
    run->addAction(pause);
    run->addAction(unpause);
    run->addAction(stop);
    QMenu* review = menus->addMenu(tr("Re&view"));
    review->addActions(m_nodeMenu->actions());
}

void RunActions::update()
{
    using Owner = models::RunSession::Owner;
    const Owner owner = m_session->owner();
    const bool here = owner == Owner::ThisWindow;
    newRun->setEnabled(!here);
    demo->setEnabled(!here);
    openRun->setEnabled(!here);
    // An imported run was searched by another system: it is there to explore, not to go on.
    const bool imported = m_session->config() && m_session->config()->settings.strategy == engine::kImportedStrategy;
    resume->setEnabled(m_session->isOpen() && owner == Owner::None && !imported);
    resume->setToolTip(imported ? tr("This run was imported from another system: explore and export it; "
                                     "it cannot be resumed")
                                : tr("Start or resume the open run in this window"));
    pause->setEnabled(here && !m_session->isPaused());
    unpause->setEnabled(here && m_session->isPaused());
    stop->setEnabled(here);

    // The engine checks every decision again; these rules only spare a person the
    // commands that cannot apply to the node's state.
    const engine::Node* node = m_session->isOpen() ? m_session->nodes()->node(current()) : nullptr;
    const bool awaiting = node && node->status == NodeStatus::AwaitingApproval;
    const bool held = awaiting || (node && node->hasFlag(engine::FlagHeld));
    const bool evaluated = node && node->status == NodeStatus::Evaluated;
    approve->setEnabled(held);
    reject->setEnabled(held);
    edit->setEnabled(node && !node->commit.empty());
    // The root is the agent as given: nothing to revert to.
    revert->setEnabled(evaluated && !node->parents.empty() && !node->hasFlag(engine::FlagReverted));
    branch->setEnabled(evaluated);
    unpin->setEnabled(node && node->hasFlag(engine::FlagPinned));
    const bool starred = node && node->hasFlag(engine::FlagStarred);
    star->setText(starred ? tr("Un&star") : tr("&Star"));
    for (QAction* a : {star, note, tag})
        a->setEnabled(node != nullptr);
    untag->setEnabled(node && !node->tags.empty());
}

int RunActions::current() const
{
    return m_session->selection()->current();
}

QString RunActions::noteFor(int id) const
{
    return m_noteSource ? m_noteSource(id) : QString();
}

void RunActions::decide(int id, const QString& action, const QString& noteText)
{
    if (id < 0 || !m_session->isOpen())
        return;
    engine::DecisionRequest request;
    request.nodeId = id;
    request.action = action.toStdString();
    request.note = noteText.trimmed().toStdString();
    m_session->decisions()->submit(std::move(request));
}

void RunActions::editNode(int id, const QString& noteText)
{
    const auto* nodes = m_session->nodes();
    const engine::Node* node = nodes->node(id);
    if (!node || node->commit.empty())
        return;
    const engine::Node* parent = nodes->node(node->primaryParent());
    HandEditDialog dialog(m_session->runFolder().repo(), id,
                          parent ? parent->commit : std::string(), node->commit,
                          QString::fromStdString(node->description), m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_session->decisions()->submitHandEdit(id, node->commit, dialog.editedFiles(),
                                           dialog.description(), noteText.trimmed());
}

void RunActions::branchNode(int id)
{
    if (!m_session->nodes()->node(id))
        return;
    BranchDialog dialog(id, m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    engine::DecisionRequest request;
    request.nodeId = id;
    request.action = Action::Branch;
    request.payload = {{"times", dialog.times()}};
    m_session->decisions()->submit(std::move(request));
}

void RunActions::addNote(int id)
{
    if (!m_session->nodes()->node(id))
        return;
    bool ok = false;
    const QString text = QInputDialog::getMultiLineText(m_window, tr("Note on node #%1").arg(id),
                                                        tr("Note (kept with the node's decisions):"),
                                                        QString(), &ok);
    if (ok && !text.trimmed().isEmpty())
        decide(id, Action::Note, text);
}

void RunActions::addTag(int id)
{
    if (!m_session->nodes()->node(id))
        return;
    bool ok = false;
    const QString text = QInputDialog::getText(m_window, tr("Tag node #%1").arg(id), tr("Tag:"),
                                               QLineEdit::Normal, QString(), &ok)
                             .trimmed();
    if (!ok || text.isEmpty())
        return;
    engine::DecisionRequest request;
    request.nodeId = id;
    request.action = Action::Tag;
    request.payload = {{"tag", text.toStdString()}};
    m_session->decisions()->submit(std::move(request));
}

void RunActions::removeTag(int id)
{
    const engine::Node* node = m_session->nodes()->node(id);
    if (!node || node->tags.empty())
        return;
    QStringList tags;
    for (const auto& t : node->tags)
        tags << QString::fromStdString(t);
    bool ok = false;
    const QString chosen = QInputDialog::getItem(m_window, tr("Remove a tag from node #%1").arg(id),
                                                 tr("Tag:"), tags, 0, false, &ok);
    if (!ok || chosen.isEmpty())
        return;
    engine::DecisionRequest request;
    request.nodeId = id;
    request.action = Action::Untag;
    request.payload = {{"tag", chosen.toStdString()}};
    m_session->decisions()->submit(std::move(request));
}

} // namespace clade::ui
