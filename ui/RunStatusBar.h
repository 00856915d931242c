#pragma once

#include "engine/run/RunProgress.h"

#include <QStatusBar>

class QLabel;
class QProgressBar;

namespace clade::models {
class RunFollower;
}

namespace clade::ui {

class ClusterStrip;

/// Where the open run stands: children proposed against the budget, time and cost used,
/// work queued and running, who is running it, and its jobs on a cluster.
class RunStatusBar : public QStatusBar {
    Q_OBJECT
public:
    explicit RunStatusBar(QWidget* parent = nullptr);

    void setProgress(const engine::RunProgress& progress);
    /// "running in this window", "followed live: clade run (pid N)", "not running".
    void setOwner(const QString& text);
    void clearRun();
    /// Shows the cluster strip of the runs `follower` opens (ClusterStrip::follow()).
    void followCluster(models::RunFollower* follower);
    ClusterStrip* clusterStrip() const { return m_cluster; }

private:
    QProgressBar* m_iterations = nullptr;
    QLabel* m_time = nullptr;
    QLabel* m_cost = nullptr;
    QLabel* m_queue = nullptr;
    QLabel* m_owner = nullptr;
    ClusterStrip* m_cluster = nullptr; ///< hidden unless the run's phases run on Slurm
};

/// "1 h 02 min", "3 min 05 s", "12 s".
QString formatDuration(double seconds);

} // namespace clade::ui
