#include "models/RunFollower.h"

#include "models/RunPaths.h"
#include "models/RunReader.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>

namespace clade::models {

RunFollower::RunFollower(QObject* parent)
    : QObject(parent), m_watcher(new QFileSystemWatcher(this)), m_safetyNet(new QTimer(this))
{
    qRegisterMetaType<RunDataPtr>();
    qRegisterMetaType<NodeBatchPtr>();
    qRegisterMetaType<NodeDetailsPtr>();
    m_reader = new RunReader;
    m_reader->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_reader, &QObject::deleteLater);
    connect(m_reader, &RunReader::opened, this, &RunFollower::onReaderOpened);
    connect(m_reader, &RunReader::changed, this, &RunFollower::nodesChanged);
    connect(m_reader, &RunReader::failed, this, &RunFollower::failed);
    connect(m_reader, &RunReader::detailsRead, this, &RunFollower::detailsRead);
    connect(m_reader, &RunReader::refreshDone, this, &RunFollower::onRefreshDone);
    m_thread.setObjectName("clade-run-reader");
    m_thread.start();

    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, [this] {
        watchFiles(); // a WAL reset can replace the file: watch it again
        refreshNow();
    });
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] {
        watchFiles(); // the WAL appears when a writer opens the database
        refreshNow();
    });
    // inotify does not see writes made through another mount namespace or a network
    // filesystem; a cheap PRAGMA data_version check every few seconds covers that. It reads
    // nothing when nothing committed.
    m_safetyNet->setInterval(3000);
    connect(m_safetyNet, &QTimer::timeout, this, &RunFollower::refreshNow);
}

RunFollower::~RunFollower()
{
    m_thread.quit();
    m_thread.wait();
}

void RunFollower::open(const QString& folder)
{
    m_folder = QDir(folder).absolutePath();
    m_open = false;
    m_safetyNet->stop();
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    if (!m_watcher->directories().isEmpty())
        m_watcher->removePaths(m_watcher->directories());
    QMetaObject::invokeMethod(m_reader, [reader = m_reader, folder = m_folder] {
        reader->open(folder);
    }, Qt::QueuedConnection);
}

void RunFollower::refreshNow()
{
    if (!m_open)
        return;
    if (m_refreshing) {
        m_dirty = true; // one more read after the current one, however many wake-ups came
        return;
    }
    m_refreshing = true;
    m_dirty = false;
    QMetaObject::invokeMethod(m_reader, &RunReader::refresh, Qt::QueuedConnection);
}

void RunFollower::requestDetails(int nodeId)
{
    QMetaObject::invokeMethod(m_reader, [reader = m_reader, nodeId] { reader->readDetails(nodeId); },
                              Qt::QueuedConnection);
}

void RunFollower::onReaderOpened(const RunDataPtr& data)
{
    m_folder = data->folder; // an imported run lives in the import cache, not where it was opened
    m_open = true;
    watchFiles();
    m_safetyNet->start();
    Q_EMIT opened(data);
    refreshNow(); // anything committed between the read and the watch
}

void RunFollower::onRefreshDone()
{
    m_refreshing = false;
    if (m_dirty)
        refreshNow();
}

void RunFollower::watchFiles()
{
    if (!m_watcher->directories().contains(m_folder))
        m_watcher->addPath(m_folder);
    const engine::RunFolder run = runFolderOf(m_folder);
    for (const auto& file : {run.database(), run.databaseLog()}) {
        const QString path = qtPath(file);
        if (QFileInfo::exists(path) && !m_watcher->files().contains(path))
            m_watcher->addPath(path);
    }
}

} // namespace clade::models
