#pragma once

#include "models/ClusterEvents.h"
#include "models/RunData.h"

#include <QObject>

#include <memory>

namespace clade::engine {
class RunStore;
}

namespace clade::models {

/// Reads a run folder on its own thread (it lives in RunFollower's worker thread and owns
/// that thread's SQLite connection). Never throws across a signal: failures become
/// failed(message).
class RunReader : public QObject {
    Q_OBJECT
public:
    RunReader();
    ~RunReader() override;

public Q_SLOTS:
    /// Reads run.json and every node; emits opened() or failed().
    void open(const QString& folder);
    /// Reads what changed since the last read; emits changed() only when something did.
    void refresh();
    /// Reads a node's decisions; emits detailsRead().
    void readDetails(int nodeId);

Q_SIGNALS:
    void opened(clade::models::RunDataPtr data);
    void changed(clade::models::NodeBatchPtr batch);
    void failed(const QString& message);
    /// After every refresh(), whether or not anything changed (lets the owner coalesce).
    void refreshDone();
    void detailsRead(clade::models::NodeDetailsPtr details);

private:
    void readChanges();

    QString m_folder;
    std::unique_ptr<engine::RunStore> m_store;
    std::int64_t m_lastSeq = 0;
    std::int64_t m_dataVersion = -1;
    /// Only a run whose executor is not local has placements to read: a local run's
    /// refreshes stay free of event payloads.
    bool m_readsCluster = false;
    ClusterEvents m_cluster;
};

} // namespace clade::models
