#include "models/LogTail.h"

#include "engine/util/Utf8Text.h"
#include "models/AsyncResult.h"

#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>

namespace clade::models {
namespace {

constexpr qint64 BlockBytes = 256 * 1024;
// How far into a capped read to look for the first line break, so the view starts on a
// whole line without scanning a megabyte-long line.
constexpr qint64 LineSearchBytes = 64 * 1024;

} // namespace

LogTail::LogTail(QObject* parent)
    : QObject(parent), m_decoder(QStringDecoder::Utf8),
      m_cancel(std::make_shared<std::atomic_bool>(false))
{
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &LogTail::requestRead);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &LogTail::requestRead);
}

LogTail::~LogTail()
{
    m_cancel->store(true);
    m_read.waitForFinished();
}

void LogTail::open(const QString& path)
{
    close();
    m_path = path;
    watch();
    requestRead();
}

void LogTail::close()
{
    m_cancel->store(true);
    m_cancel = std::make_shared<std::atomic_bool>(false);
    ++m_generation;
    if (!m_watcher.files().isEmpty())
        m_watcher.removePaths(m_watcher.files());
    if (!m_watcher.directories().isEmpty())
        m_watcher.removePaths(m_watcher.directories());
    m_path.clear();
    m_offset = 0;
    m_inode = 0;
    m_started = false;
    m_dirty = false;
}

void LogTail::watch()
{
    if (m_path.isEmpty())
        return;
    // Re-added after every read: inotify drops the watch of a file that was replaced.
    if (!m_watcher.files().contains(m_path) && QFileInfo::exists(m_path))
        m_watcher.addPath(m_path);
    const QString folder = QFileInfo(m_path).absolutePath();
    if (!m_watcher.directories().contains(folder) && QFileInfo(folder).isDir())
        m_watcher.addPath(folder);
}

void LogTail::requestRead()
{
    if (m_path.isEmpty())
        return;
    if (m_reading) {
        m_dirty = true; // coalesces a burst of writes into one more read
        return;
    }
    startRead();
}

void LogTail::startRead()
{
    m_reading = true;
    const quint64 generation = m_generation;
    m_read = runAsync(
        this,
        [path = m_path, offset = m_offset, inode = m_inode, maxBytes = m_maxBytes,
         cancel = m_cancel, generation] {
            Chunk chunk = readChunk(path, offset, inode, maxBytes, cancel.get());
            chunk.generation = generation;
            return chunk;
        },
        [this](const Chunk& chunk) { onReadFinished(chunk); },
        [this, generation, path = m_path](const QString& error) {
            Chunk chunk;
            chunk.generation = generation;
            chunk.error = tr("Cannot read %1: %2").arg(path, error);
            onReadFinished(chunk);
        });
}

void LogTail::onReadFinished(const Chunk& chunk)
{
    m_reading = false;
    if (chunk.generation != m_generation) {
        // Answer to a file we no longer follow; read the current one.
        if (!m_path.isEmpty())
            startRead();
        return;
    }
    watch();
    if (!chunk.error.isEmpty()) {
        Q_EMIT failed(chunk.error);
    } else if (!chunk.exists) {
        if (!m_started || m_offset > 0 || m_inode != 0) {
            m_offset = 0;
            m_inode = 0;
            m_started = true;
            Q_EMIT reset(QString(), 0, false);
        }
    } else if (chunk.restart || !m_started) {
        m_decoder = QStringDecoder(QStringDecoder::Utf8);
        m_offset = chunk.end;
        m_inode = chunk.inode;
        m_started = true;
        Q_EMIT reset(m_decoder.decode(chunk.bytes), chunk.skipped, true);
    } else {
        m_offset = chunk.end;
        if (!chunk.bytes.isEmpty())
            Q_EMIT appended(m_decoder.decode(chunk.bytes));
    }
    if (m_dirty) {
        m_dirty = false;
        startRead();
    }
}

LogTail::Chunk LogTail::readChunk(const QString& path, qint64 offset, quint64 knownInode,
                                  qint64 maxBytes, const std::atomic_bool* cancel)
{
    Chunk chunk;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (file.exists())
            chunk.error = QObject::tr("Cannot read %1: %2").arg(path, file.errorString());
        return chunk;
    }
    chunk.exists = true;
    struct stat info {};
    if (::fstat(file.handle(), &info) != 0) {
        chunk.error = QObject::tr("Cannot read %1").arg(path);
        return chunk;
    }
    chunk.inode = static_cast<quint64>(info.st_ino);
    const qint64 size = static_cast<qint64>(info.st_size);

    qint64 start = offset;
    // Another file under the same name, or truncated: what was shown no longer holds.
    if ((knownInode != 0 && chunk.inode != knownInode) || size < offset) {
        chunk.restart = true;
        start = 0;
    }
    if (size - start > maxBytes) {
        chunk.restart = true;
        start = size - maxBytes;
        chunk.skipped = start;
    }
    if (!file.seek(start)) {
        chunk.error = QObject::tr("Cannot read %1: %2").arg(path, file.errorString());
        return chunk;
    }
    chunk.bytes.reserve(size - start);
    qint64 position = start;
    while (position < size) {
        if (cancel && cancel->load(std::memory_order_relaxed))
            return chunk;
        const QByteArray block = file.read(std::min(BlockBytes, size - position));
        if (block.isEmpty())
            break; // the file shrank under us; the next change event restarts
        chunk.bytes.append(block);
        position += block.size();
    }
    chunk.end = position;
    if (chunk.skipped > 0) {
        const qsizetype lineBreak = chunk.bytes.left(LineSearchBytes).indexOf('\n');
        qsizetype drop = lineBreak + 1;
        if (lineBreak < 0) {
            // No line to start on: start on a whole character at least. A cap in the middle
            // of one would show its last bytes as U+FFFD, as if the log held bad bytes.
            drop = static_cast<qsizetype>(engine::leadingContinuationBytes(
                std::string_view(chunk.bytes.constData(), static_cast<std::size_t>(chunk.bytes.size()))));
        }
        chunk.bytes.remove(0, drop);
        chunk.skipped += drop;
    }
    return chunk;
}

} // namespace clade::models
