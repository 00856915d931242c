#pragma once

#include "engine/executor/SlurmExecutor.h"
#include "models/AsyncResult.h"

#include <QObject>
#include <QString>

#include <functional>
#include <string>

class QTimer;

namespace clade::models {

/// Asks the cluster how many of a run's jobs are pending and running (squeue, through
/// engine::slurmQueueCounts) every few seconds while it is started. Each question runs on
/// the thread pool, never on the GUI thread, and only one is out at a time.
class ClusterQueuePoller : public QObject {
    Q_OBJECT
public:
    using Query = std::function<engine::SlurmQueueCounts(const std::string& runTag)>;

    /// `query` answers for a run tag; the default asks squeue. Tests give their own.
    explicit ClusterQueuePoller(QObject* parent = nullptr, Query query = engine::slurmQueueCounts);
    ~ClusterQueuePoller() override;

    /// Asks now, then every interval, about the jobs named `runTag` (slurmRunTag()).
    void start(const std::string& runTag);
    /// No more questions; an answer on its way is dropped.
    void stop();
    bool isPolling() const;
    void setIntervalMs(int ms);

Q_SIGNALS:
    void countsRead(int pending, int running);
    /// squeue could not be asked (not installed, controller down): what it said.
    void queueUnknown(const QString& why);

private:
    void ask();

    Query m_query;
    QTimer* m_timer = nullptr;
    std::string m_tag;
    bool m_asking = false;
    int m_generation = 0; ///< answers to an earlier start() are dropped
    PendingCalls m_running;
};

} // namespace clade::models
