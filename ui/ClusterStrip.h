#pragma once

#include "models/ClusterQueuePoller.h"
#include "models/RunData.h"

#include <QLabel>

#include <optional>

namespace clade::models {
class RunFollower;
}

namespace clade::ui {

/// Jobs of the run on the cluster right now, counted by squeue.
struct LiveQueue {
    int pending = 0;
    int running = 0;
    QString unknownWhy; ///< squeue could not be asked: the counts mean nothing
};

/// The status bar's cluster strip of a run whose phases run on Slurm: its jobs pending and
/// running while the run is live, then what its events recorded (phases, queue wait, lost
/// jobs), and the jobs a stop cancelled. Hidden for a run that runs on this host.
class ClusterStrip : public QLabel {
    Q_OBJECT
public:
    /// `queue` counts a run's jobs while it is live; the default asks squeue. Tests give
    /// their own.
    explicit ClusterStrip(QWidget* parent = nullptr,
                          models::ClusterQueuePoller::Query queue = engine::slurmQueueCounts);

    /// Follows the run `follower` opens: its facts as they grow, and squeue every few
    /// seconds while a process owns the run (never for a run nobody runs).
    void follow(models::RunFollower* follower);
    /// The run just opened; polls squeue when `data->ownerPid` says it is live.
    void setRun(const models::RunDataPtr& data);
    void update(const models::NodeBatchPtr& batch);
    void clearRun();
    bool isPollingQueue() const;

private:
    void setLive(bool live);
    void render();

    models::ClusterQueuePoller* m_poller = nullptr;
    bool m_slurm = false;
    std::string m_runTag;
    models::ClusterFacts m_facts;
    std::optional<LiveQueue> m_live;
};

/// The strip's words: "Slurm: 3 running · 1 pending · queue wait median 0.05 s" while live
/// (`live` set), "Slurm: 12 phases ran · queue wait median 0.05 s, max 0.30 s · 1 lost job,
/// run again" after; then " · stop cancelled jobs 536, 537" when a stop cancelled any.
QString clusterStripText(const models::ClusterFacts& facts, const std::optional<LiveQueue>& live);

} // namespace clade::ui
