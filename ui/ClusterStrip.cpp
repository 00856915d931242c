#include "ui/ClusterStrip.h"

#include "engine/executor/SlurmExecutor.h"
#include "models/RunFollower.h"
#include "ui/PlacementView.h"

namespace clade::ui {
namespace {

// A stop of a big run cancels hundreds: the strip names a few, the tooltip all of them.
QString jobList(const std::vector<std::string>& jobIds, std::size_t shown)
{
    QStringList ids;
    for (std::size_t i = 0; i < jobIds.size() && i < shown; ++i)
        ids << QString::fromStdString(jobIds[i]);
    QString text = ids.join(", ");
    if (jobIds.size() > shown)
        text += QObject::tr(" and %1 more").arg(jobIds.size() - shown);
    return text;
}

} // namespace

QString clusterStripText(const models::ClusterFacts& facts, const std::optional<LiveQueue>& live)
{
    const engine::ClusterActivity& a = facts.activity;
    QStringList parts;
    if (live && live->unknownWhy.isEmpty())
        parts << QObject::tr("%1 running").arg(live->running)
              << QObject::tr("%1 pending").arg(live->pending);
    else if (live)
        parts << QObject::tr("queue unknown");
    else
        parts << (a.phases == 1 ? QObject::tr("1 phase ran")
                                : QObject::tr("%1 phases ran").arg(a.phases));
    if (a.phases > 0)
        parts << (live
                      ? QObject::tr("queue wait median %1").arg(queueWaitText(a.medianQueueSeconds))
                      : QObject::tr("queue wait median %1, max %2")
                            .arg(queueWaitText(a.medianQueueSeconds),
                                 queueWaitText(a.maxQueueSeconds)));
    if (a.lostAttempts > 0)
        parts << (a.lostAttempts == 1
                      ? QObject::tr("1 lost job, run again")
                      : QObject::tr("%1 lost jobs, each run again").arg(a.lostAttempts));
    QString text = QObject::tr("Slurm: %1").arg(parts.join(QStringLiteral(" · ")));
    if (!facts.cancelled.empty()) {
        const models::CancelledJobs& last = facts.cancelled.back();
        text += last.jobIds.empty()
                    ? QObject::tr(" · stop cancelled no jobs")
                    : QObject::tr(" · stop cancelled jobs %1").arg(jobList(last.jobIds, 6));
    }
    return text;
}

ClusterStrip::ClusterStrip(QWidget* parent, models::ClusterQueuePoller::Query queue)
    : QLabel(parent), m_poller(new models::ClusterQueuePoller(this, std::move(queue)))
{
    setObjectName("clusterStrip");
    connect(m_poller, &models::ClusterQueuePoller::countsRead, this,
            [this](int pending, int running) {
                m_live = LiveQueue{pending, running, {}};
                render();
            });
    connect(m_poller, &models::ClusterQueuePoller::queueUnknown, this, [this](const QString& why) {
        m_live = LiveQueue{0, 0, why};
        render();
    });
    hide();
}

void ClusterStrip::follow(models::RunFollower* follower)
{
    connect(follower, &models::RunFollower::opened, this, &ClusterStrip::setRun);
    connect(follower, &models::RunFollower::nodesChanged, this, &ClusterStrip::update);
}

void ClusterStrip::setRun(const models::RunDataPtr& data)
{
    clearRun();
    m_slurm = data->config.settings.executor.kind == "slurm";
    if (!m_slurm)
        return;
    m_runTag = engine::slurmRunTag(data->folder.toStdString(), data->config.createdAt);
    m_facts = data->cluster;
    setLive(data->ownerPid != 0);
    render();
}

void ClusterStrip::update(const models::NodeBatchPtr& batch)
{
    if (!m_slurm)
        return;
    if (batch->cluster)
        m_facts = *batch->cluster;
    setLive(batch->ownerPid != 0);
    render();
}

void ClusterStrip::clearRun()
{
    m_slurm = false;
    m_runTag.clear();
    m_facts = {};
    setLive(false);
    clear();
    setToolTip({});
    hide();
}

bool ClusterStrip::isPollingQueue() const
{
    return m_poller->isPolling();
}

void ClusterStrip::setLive(bool live)
{
    if (live) {
        m_poller->start(m_runTag);
        return;
    }
    // Once the run ends its jobs are gone from squeue: the recorded facts say the rest.
    m_poller->stop();
    m_live.reset();
}

void ClusterStrip::render()
{
    setText(clusterStripText(m_facts, m_live));
    QStringList tip{
        tr("Cluster jobs are named %1 (squeue --name).").arg(QString::fromStdString(m_runTag))};
    if (m_live && !m_live->unknownWhy.isEmpty())
        tip << tr("squeue: %1").arg(m_live->unknownWhy);
    for (const auto& cancelled : m_facts.cancelled)
        tip << tr("Cancelled jobs %1%2")
                   .arg(jobList(cancelled.jobIds, cancelled.jobIds.size()),
                        cancelled.why.empty()
                            ? QString()
                            : tr(" (%1)").arg(QString::fromStdString(cancelled.why)));
    setToolTip(tip.join('\n'));
    show();
}

} // namespace clade::ui
