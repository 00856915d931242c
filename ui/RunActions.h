#pragma once

#include <QObject>

#include <functional>

class QAction;
class QMenu;
class QMenuBar;
class QToolBar;
class QWidget;

namespace clade::models {
class RunSession;
}

namespace clade::ui {

/// The window's commands (run controls, review decisions, notes, tags, stars) with
/// shortcuts, and the rules for when each is enabled. Review commands act on the selected
/// node and go to the run through the session's DecisionSender, whoever runs the search.
class RunActions : public QObject {
    Q_OBJECT
public:
    /// `window` parents the dialogs the review commands open.
    RunActions(models::RunSession* session, QWidget* window);

    QAction* newRun = nullptr;
    QAction* openRun = nullptr;
    /// Another system's run kept in one file (an ADAS archive, an AIDE journal, a Shinka
    /// database): folder pickers cannot choose a file.
    QAction* openRunFile = nullptr;
    QAction* demo = nullptr;
    QAction* resume = nullptr; ///< drive the open run in this window
    QAction* pause = nullptr;
    QAction* unpause = nullptr;
    QAction* stop = nullptr;
    QAction* approve = nullptr;
    QAction* reject = nullptr;
    QAction* edit = nullptr; ///< edit-then-approve
    QAction* revert = nullptr;
    QAction* branch = nullptr;
    QAction* unpin = nullptr;
    QAction* star = nullptr; ///< toggles: star or unstar
    QAction* note = nullptr;
    QAction* tag = nullptr;
    QAction* untag = nullptr;
    QAction* quit = nullptr;

    void fillToolBar(QToolBar* bar) const;
    void fillMenus(QMenuBar* menus) const;
    /// The node commands, for the tree's and the node list's context menus.
    QMenu* nodeMenu() const { return m_nodeMenu; }
    /// Re-reads the session's state into enabled/disabled.
    void update();
    /// Where approve/reject/edit find the note a person typed for a node (the review
    /// panel's note field); without one they send no note.
    void setNoteSource(std::function<QString(int nodeId)> source) { m_noteSource = std::move(source); }

    /// Sends `action` (an engine::DecisionAction) on node `id`; the result arrives through
    /// the session's DecisionSender.
    void decide(int id, const QString& action, const QString& note = {});
    /// Opens the hand-edit dialog on node `id`; on OK commits the edit and sends it.
    void editNode(int id, const QString& note = {});

private:
    void createReviewActions();
    void branchNode(int id);
    void addNote(int id);
    void addTag(int id);
    void removeTag(int id);
    int current() const;
    QString noteFor(int id) const;

    models::RunSession* m_session;
    QWidget* m_window;
    QMenu* m_nodeMenu = nullptr;
    std::function<QString(int)> m_noteSource;
};

} // namespace clade::ui
