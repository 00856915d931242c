#pragma once

#include "engine/review/Decisions.h"
#include "models/AsyncResult.h"

#include <QObject>
#include <QString>

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace clade::models {

/// Sends a person's decisions on the open run's nodes (approve, reject, edit, revert,
/// branch, notes, tags, stars) through engine::submitDecision on the thread pool: it
/// touches SQLite and may take the run's lock for a moment. Every request ends in exactly
/// one submitted() or failed(), on the GUI thread. Destroying it waits for requests in
/// flight (each takes milliseconds).
class DecisionSender : public QObject {
    Q_OBJECT
public:
    explicit DecisionSender(QObject* parent = nullptr);
    ~DecisionSender() override;

    void setRunFolder(const QString& folder) { m_folder = folder; }
    QString runFolder() const { return m_folder; }
    /// Some request has not ended (in submitted() or failed()) yet.
    bool isBusy() const { return m_unanswered > 0; }

    void submit(engine::DecisionRequest request);
    /// Edit-then-approve: commits `files` (path -> new text, nullopt removes it) on top of
    /// `baseCommit` in the run's repository, then submits DecisionAction::Edit naming that
    /// commit and `description`.
    void submitHandEdit(int nodeId, const std::string& baseCommit,
                        std::map<std::string, std::optional<std::string>> files,
                        const QString& description, const QString& note);

    struct Result {
        int nodeId = -1;
        QString action;
        bool ok = false;
        bool appliedNow = false;
        QString text; ///< the outcome, or what went wrong (for a person)
    };

Q_SIGNALS:
    /// `outcome` says what happened when `appliedNow`; else the decision waits in the
    /// inbox for the process running the search.
    void submitted(int nodeId, const QString& action, const QString& outcome, bool appliedNow);
    void failed(int nodeId, const QString& action, const QString& message);
    void busyChanged(bool busy);

private:
    void send(int nodeId, const std::string& action, std::function<Result()> work);
    void answer(const Result& result);

    QString m_folder;
    PendingCalls m_running;
    int m_unanswered = 0;
};

} // namespace clade::models
