#pragma once

#include "engine/run/RunConfig.h"
#include "engine/run/RunEngine.h"
#include "engine/run/RunProgress.h"
#include "engine/run/SandboxWarning.h"
#include "models/EngineController.h" // the metatypes of its signals, which this one passes on
#include "models/RunData.h"

#include <QObject>

#include <optional>
#include <set>

namespace clade::models {

class DecisionSender;
class NodeListModel;
class NodeSelection;
class ReviewQueueModel;
class RunFollower;

/// The run open in a window: its nodes (NodeListModel, fed live by RunFollower), the
/// approval queue, the selection, the decisions a person sends, and — when this window
/// drives the search — the EngineController. The views only talk to this object.
class RunSession : public QObject {
    Q_OBJECT
public:
    enum class Owner { None, ThisWindow, OtherProcess };

    explicit RunSession(QObject* parent = nullptr);
    ~RunSession() override;

    void open(const QString& folder);
    /// Creates a new run and drives it here; it opens as soon as it exists.
    void startNew(const QString& agentDir, const QString& out, const engine::RunSettings& settings);
    /// Drives the open run here (it must not be owned by another process).
    void resumeHere(const engine::RunEngine::Overrides& overrides = {});
    void pause();
    void resumePaused();
    void stop();

    bool isOpen() const { return m_config.has_value(); }
    QString folder() const;
    /// The paths inside the open run's folder (repo.git, clade.db, artifacts/...).
    engine::RunFolder runFolder() const;
    /// The open run's run.json; null while none is open.
    const engine::RunConfig* config() const { return m_config ? &*m_config : nullptr; }
    Owner owner() const;
    bool isPaused() const;
    engine::RunProgress progress() const { return m_progress; }
    /// What the open run's sandbox does not guarantee (engine::sandboxWarning()), as of its
    /// latest session; nothing to say while no run is open.
    engine::SandboxWarning sandboxWarning() const;

    NodeListModel* nodes() const { return m_nodes; }
    NodeSelection* selection() const { return m_selection; }
    RunFollower* follower() const { return m_follower; }
    ReviewQueueModel* reviewQueue() const { return m_reviewQueue; }
    DecisionSender* decisions() const { return m_decisions; }

Q_SIGNALS:
    void opened(clade::models::RunDataPtr data);
    /// Opening, creating or running failed; the message names the file and the problem.
    void problem(const QString& message);
    void progressChanged(const clade::engine::RunProgress& progress);
    void ownerChanged();
    /// sandboxWarning() changed: another run opened, or a session of this one started.
    void sandboxChanged();
    /// The search driven here ended; `message` says why, for a person.
    void engineEnded(clade::engine::RunOutcome::Status status, const QString& message);
    /// Nodes changed (after the model applied them).
    void nodesChanged(clade::models::NodeBatchPtr batch);

private:
    void onOpened(const RunDataPtr& data);
    void onBatch(const NodeBatchPtr& batch);
    void recomputeProgress();
    void setSandboxSession(const std::optional<engine::SandboxSession>& session);

    RunFollower* m_follower = nullptr;
    EngineController* m_controller = nullptr;
    NodeListModel* m_nodes = nullptr;
    NodeSelection* m_selection = nullptr;
    ReviewQueueModel* m_reviewQueue = nullptr;
    DecisionSender* m_decisions = nullptr;
    // Only what the session needs of the run it opened: holding the whole RunData would keep
    // a second copy of every node alive next to the model's.
    QString m_folder;
    std::optional<engine::RunConfig> m_config;
    int m_ownerPid = 0;
    double m_activeSeconds = 0;
    std::set<int> m_personReverted; // their clades are never the best
    std::optional<engine::SandboxSession> m_sandboxSession;
    engine::RunProgress m_progress;
    bool m_engineProgress = false; // the engine reports progress itself while it runs here
};

} // namespace clade::models
