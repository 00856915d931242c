#pragma once

#include "models/RunData.h"

#include <QObject>
#include <QString>
#include <QThread>

class QFileSystemWatcher;
class QTimer;

namespace clade::models {

class RunReader;

/// Opens a run folder and follows it live, whoever writes it (this process's engine or a
/// headless `clade run` elsewhere): a file watch on clade.db and its WAL wakes a reader
/// thread that reads only the events after the last one seen. The GUI thread never
/// touches SQLite. Bursts of writes coalesce into one read at a time.
class RunFollower : public QObject {
    Q_OBJECT
public:
    explicit RunFollower(QObject* parent = nullptr);
    ~RunFollower() override;

    /// Starts reading `folder` (asynchronously); opened() or failed() follows.
    void open(const QString& folder);
    /// Reads changes now (the in-process engine calls this after each event it commits,
    /// so its nodes show without waiting for the file watch).
    void refreshNow();
    /// Reads a node's decisions off the GUI thread; detailsRead() follows.
    void requestDetails(int nodeId);
    QString folder() const { return m_folder; }
    bool isOpen() const { return m_open; }

Q_SIGNALS:
    void opened(clade::models::RunDataPtr data);
    void nodesChanged(clade::models::NodeBatchPtr batch);
    void failed(const QString& message);
    void detailsRead(clade::models::NodeDetailsPtr details);

private:
    void watchFiles();
    void onReaderOpened(const RunDataPtr& data);
    void onRefreshDone();

    QThread m_thread;
    RunReader* m_reader = nullptr; // lives in m_thread, deleted when it finishes
    QFileSystemWatcher* m_watcher = nullptr;
    QTimer* m_safetyNet = nullptr;
    QString m_folder;
    bool m_open = false;
    bool m_refreshing = false;
    bool m_dirty = false;
};

} // namespace clade::models
