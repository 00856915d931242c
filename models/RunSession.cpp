#include "models/RunSession.h"

#include "engine/run/RunFacts.h"
#include "models/DecisionSender.h"
#include "models/EngineController.h"
#include "models/NodeListModel.h"
#include "models/NodeSelection.h"
#include "models/RecentRuns.h"
#include "models/ReviewQueueModel.h"
#include "models/RunFollower.h"
#include "models/RunPaths.h"

#include <QCoreApplication>

namespace clade::models {

RunSession::RunSession(QObject* parent)
    : QObject(parent),
      m_follower(new RunFollower(this)),
      m_controller(new EngineController(this)),
      m_nodes(new NodeListModel(this)),
      m_selection(new NodeSelection(this)),
      m_reviewQueue(new ReviewQueueModel(this)),
      m_decisions(new DecisionSender(this))
{
    connect(m_follower, &RunFollower::opened, this, &RunSession::onOpened);
    connect(m_follower, &RunFollower::nodesChanged, this, &RunSession::onBatch);
    connect(m_follower, &RunFollower::failed, this, &RunSession::problem);
    connect(m_follower, &RunFollower::detailsRead, this, [this](const NodeDetailsPtr& details) {
        m_reviewQueue->setFindings(details->nodeId, details->findings);
    });
    // A decision applied at once changed clade.db: show it now, not at the next file watch.
    connect(m_decisions, &DecisionSender::submitted, m_follower, &RunFollower::refreshNow);

    connect(m_controller, &EngineController::runOpened, this, [this](const QString& dir) {
        m_engineProgress = true;
        if (folder() != dir)
            m_follower->open(dir);
        Q_EMIT ownerChanged();
    });
    // The engine says when it committed something: read it at once instead of waiting
    // for the file watch.
    connect(m_controller, &EngineController::committed, m_follower, &RunFollower::refreshNow);
    connect(m_controller, &EngineController::progressed, this,
            [this](const engine::RunProgress& progress) {
                m_progress = progress;
                Q_EMIT progressChanged(m_progress);
            });
    connect(m_controller, &EngineController::runEnded, this,
            [this](engine::RunOutcome::Status status, const QString& message) {
                m_engineProgress = false;
                m_follower->refreshNow();
                recomputeProgress();
                Q_EMIT ownerChanged();
                Q_EMIT engineEnded(status, message);
            });
}

RunSession::~RunSession() = default;

QString RunSession::folder() const
{
    return m_folder;
}

engine::RunFolder RunSession::runFolder() const
{
    return runFolderOf(m_folder);
}

void RunSession::open(const QString& folder)
{
    m_follower->open(folder);
}

void RunSession::startNew(const QString& agentDir, const QString& out,
                          const engine::RunSettings& settings)
{
    if (m_controller->isRunning()) {
        Q_EMIT problem(tr("A run is already going in this window; stop it first."));
        return;
    }
    m_controller->createAndRun(agentDir, out, settings);
    Q_EMIT ownerChanged();
}

void RunSession::resumeHere(const engine::RunEngine::Overrides& overrides)
{
    if (!isOpen() || m_controller->isRunning())
        return;
    m_controller->run(m_folder, overrides);
    Q_EMIT ownerChanged();
}

void RunSession::pause()
{
    m_controller->pause();
    Q_EMIT ownerChanged();
}

void RunSession::resumePaused()
{
    m_controller->resume();
    Q_EMIT ownerChanged();
}

void RunSession::stop()
{
    m_controller->stop();
}

RunSession::Owner RunSession::owner() const
{
    if (m_controller->isRunning())
        return Owner::ThisWindow;
    return m_ownerPid > 0 && m_ownerPid != QCoreApplication::applicationPid() ? Owner::OtherProcess
                                                                              : Owner::None;
}

engine::SandboxWarning RunSession::sandboxWarning() const
{
    if (!m_config)
        return {};
    return engine::sandboxWarning(m_config->settings.sandbox, m_sandboxSession);
}

void RunSession::setSandboxSession(const std::optional<engine::SandboxSession>& session)
{
    if (session == m_sandboxSession)
        return;
    m_sandboxSession = session;
    Q_EMIT sandboxChanged();
}

bool RunSession::isPaused() const
{
    return m_controller->isRunning() && m_controller->isPaused();
}

void RunSession::onOpened(const RunDataPtr& data)
{
    m_folder = data->folder;
    m_config = data->config;
    m_ownerPid = data->ownerPid;
    m_activeSeconds = data->activeSeconds;
    m_personReverted = data->personReverted;
    m_selection->clear();
    m_decisions->setRunFolder(data->folder);
    if (data->nodesToTake && data->nodesToTake->size() == data->nodes.size())
        m_nodes->setNodes(std::move(*data->nodesToTake));
    else
        m_nodes->setNodes(data->nodes);
    m_reviewQueue->reset(m_nodes->nodes(), data->heldFindings);
    RecentRuns::add(data->folder);
    recomputeProgress();
    m_sandboxSession = data->sandboxSession;
    Q_EMIT opened(data);
    Q_EMIT sandboxChanged(); // another run: whatever it says, the old run's words go
    Q_EMIT ownerChanged();
}

void RunSession::onBatch(const NodeBatchPtr& batch)
{
    m_nodes->applyChanges(batch->nodes);
    m_reviewQueue->apply(batch->nodes, batch->heldFindings);
    const bool ownerMoved = batch->ownerPid != m_ownerPid;
    m_ownerPid = batch->ownerPid;
    m_activeSeconds = batch->activeSeconds;
    m_personReverted = batch->personReverted;
    setSandboxSession(batch->sandboxSession);
    if (!m_engineProgress)
        recomputeProgress();
    Q_EMIT nodesChanged(batch);
    if (ownerMoved)
        Q_EMIT ownerChanged();
}

void RunSession::recomputeProgress()
{
    if (!m_config)
        return;
    // The engine's own facts, so this window names the best node the driving one names.
    m_progress = engine::storedProgress(m_nodes->nodes(), *m_config, m_personReverted, m_activeSeconds);
    Q_EMIT progressChanged(m_progress);
}

} // namespace clade::models
