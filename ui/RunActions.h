#pragma once

#include <QObject>

class QAction;
class QToolBar;
class QMenuBar;

namespace clade::models {
class RunSession;
}

namespace clade::ui {

/// The window's commands (run controls, review, view) with shortcuts, and the rules for
/// when each is enabled. Review actions stay disabled until the review workflow exists.
class RunActions : public QObject {
    Q_OBJECT
public:
    RunActions(models::RunSession* session, QObject* parent);

    QAction* newRun = nullptr;
    QAction* openRun = nullptr;
    QAction* demo = nullptr;
    QAction* resume = nullptr; ///< drive the open run in this window
    QAction* pause = nullptr;
    QAction* unpause = nullptr;
    QAction* stop = nullptr;
    QAction* approve = nullptr;
    QAction* reject = nullptr;
    QAction* revert = nullptr;
    QAction* branch = nullptr;
    QAction* quit = nullptr;

    void fillToolBar(QToolBar* bar) const;
    void fillMenus(QMenuBar* menus) const;
    /// Re-reads the session's state into enabled/disabled.
    void update();

private:
    models::RunSession* m_session;
};

} // namespace clade::ui
