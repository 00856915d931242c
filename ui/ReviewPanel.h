#pragma once

#include <QWidget>

#include <string>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace clade::models {
class RunSession;
}

namespace clade::ui {

class DiffView;

/// The approval queue: the nodes waiting for a person, and for the one chosen its risk
/// findings (detector, file:line, message, the offending line), its change against its
/// parent, a note field and Approve / Reject / Edit…, with a status line that says what
/// became of the decision. It follows the session's queue live, whoever decides; it sends
/// nothing itself (the window routes its requests to RunActions).
class ReviewPanel : public QWidget {
    Q_OBJECT
public:
    explicit ReviewPanel(models::RunSession* session, QWidget* parent = nullptr);

    /// The held node on display, or -1.
    int nodeId() const { return m_nodeId; }
    /// Shows node `id` if it waits for review (the window's selection moved to it).
    void showNode(int id);
    /// The note typed for `id` (empty unless `id` is the node on display).
    QString noteFor(int id) const;

Q_SIGNALS:
    /// A person chose a row: the window selects that node everywhere.
    void nodeActivated(int id);
    void decisionRequested(int id, const QString& action, const QString& note);
    void editRequested(int id, const QString& note);
    /// The number of waiting nodes changed (the dock's title shows it).
    void countChanged(int count);
    /// A right click on a queue row (its node is now activated).
    void contextMenuRequested(int id, QPoint globalPos);

private:
    void onQueueChanged();
    void selectRow(int row);
    void showEntry();
    void showFindings();
    void onSubmitted(int id, const QString& action, const QString& outcome, bool appliedNow);
    void onFailed(int id, const QString& action, const QString& message);
    void setStatus(const QString& text, bool error);
    void updateButtons();

    models::RunSession* m_session;
    QLabel* m_summary = nullptr;
    QTableView* m_queue = nullptr;
    QLabel* m_title = nullptr;
    QTextBrowser* m_findings = nullptr;
    QLineEdit* m_note = nullptr;
    QPushButton* m_approve = nullptr;
    QPushButton* m_reject = nullptr;
    QPushButton* m_edit = nullptr;
    QLabel* m_status = nullptr;
    DiffView* m_diff = nullptr;
    int m_nodeId = -1;
    std::string m_diffKey; // commits of the diff on display: a node update keeps it
    bool m_settingRow = false;
};

} // namespace clade::ui
