#include "ui/RunActions.h"

#include "models/RunSession.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QMenuBar>
#include <QStyle>
#include <QToolBar>

namespace clade::ui {
namespace {

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

RunActions::RunActions(models::RunSession* session, QObject* parent)
    : QObject(parent), m_session(session)
{
    using S = QStyle;
    newRun = make(this, tr("&New run…"), "newRun", S::SP_FileIcon, QKeySequence::New);
    openRun = make(this, tr("&Open run…"), "openRun", S::SP_DirOpenIcon, QKeySequence::Open);
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
    const QString later = tr(" (the review workflow is not in this build yet)");
    approve = make(this, tr("&Approve"), "approve", S::SP_DialogApplyButton, {}, tr("Approve the node") + later);
    reject = make(this, tr("Re&ject"), "reject", S::SP_DialogDiscardButton, {}, tr("Reject the node") + later);
    revert = make(this, tr("Re&vert"), "revert", S::SP_BrowserReload, {}, tr("Revert the node's lineage") + later);
    branch = make(this, tr("&Branch"), "branch", S::SP_ArrowRight, {}, tr("Branch from the node") + later);
    quit = make(this, tr("&Quit"), "quit", S::SP_DialogCloseButton, QKeySequence::Quit);
    for (QAction* a : {approve, reject, revert, branch})
        a->setEnabled(false);
    update();
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
    file->addAction(demo);
    file->addSeparator();
    file->addAction(quit);
    QMenu* run = menus->addMenu(tr("&Run"));
    run->addAction(resume);
    run->addAction(pause);
    run->addAction(unpause);
    run->addAction(stop);
    QMenu* review = menus->addMenu(tr("Re&view"));
    review->addAction(approve);
    review->addAction(reject);
    review->addAction(revert);
    review->addAction(branch);
}

void RunActions::update()
{
    using Owner = models::RunSession::Owner;
    const Owner owner = m_session->owner();
    const bool here = owner == Owner::ThisWindow;
    newRun->setEnabled(!here);
    demo->setEnabled(!here);
    openRun->setEnabled(!here);
    resume->setEnabled(m_session->isOpen() && owner == Owner::None);
    pause->setEnabled(here && !m_session->isPaused());
    unpause->setEnabled(here && m_session->isPaused());
    stop->setEnabled(here);
}

} // namespace clade::ui
