#pragma once

#include <QFileSystemWatcher>
#include <QFuture>
#include <QObject>
#include <QString>
#include <QStringDecoder>

#include <atomic>
#include <memory>

namespace clade::models {

/// Follows one growing log file: the last `maxBytes` of it at first, then only the bytes
/// appended since, like `tail -c N -f`. Reads happen on the thread pool (a log can be
/// gigabytes); the GUI thread only decodes the bounded chunks handed back.
///
/// A file that shrinks or is replaced (another inode) is read again from its end. A file
/// that does not exist yet is waited for through a watch on its folder.
class LogTail : public QObject {
    Q_OBJECT

public:
    /// What one read on the pool found. A plain value: it crosses threads.
    struct Chunk {
        QByteArray bytes;
        qint64 end = 0;     ///< file offset after `bytes`
        qint64 skipped = 0; ///< bytes before `bytes` left out to respect the cap
        quint64 inode = 0;
        bool restart = false; ///< the bytes replace everything shown so far
        bool exists = false;
        quint64 generation = 0; ///< which open() asked; older answers are dropped
        QString error;
    };

    static constexpr qint64 DefaultMaxBytes = 4 * 1024 * 1024;

    explicit LogTail(QObject* parent = nullptr);
    /// Cancels a read in flight and waits for it.
    ~LogTail() override;

    /// Bytes kept from the end of a file on the first read or after a jump.
    void setMaxBytes(qint64 bytes) { m_maxBytes = bytes; }
    qint64 maxBytes() const { return m_maxBytes; }

    /// Starts following `path`; emits reset() once the first read is done.
    void open(const QString& path);
    /// Stops following; no signal arrives for the old file after this.
    void close();
    QString path() const { return m_path; }
    /// The file offset read up to.
    qint64 offset() const { return m_offset; }

    /// Reads `path` from `offset` on, at most `maxBytes` (the last ones). Used by the
    /// worker; public so tests can check the arithmetic without threads.
    static Chunk readChunk(const QString& path, qint64 offset, quint64 knownInode, qint64 maxBytes,
                           const std::atomic_bool* cancel);

Q_SIGNALS:
    /// Replace the whole text with `text`; `skippedBytes` > 0 means the file's first
    /// bytes were left out (a note for the reader). `exists` is false while the file is
    /// missing.
    void reset(const QString& text, qint64 skippedBytes, bool exists);
    /// `text` was appended to the file.
    void appended(const QString& text);
    void failed(const QString& message);

private:
    void requestRead();
    void startRead();
    void onReadFinished(const Chunk& chunk);
    void watch();

    QString m_path;
    qint64 m_maxBytes = DefaultMaxBytes;
    qint64 m_offset = 0;
    quint64 m_inode = 0;
    bool m_started = false; ///< reset() was emitted for this generation
    quint64 m_generation = 0;
    bool m_reading = false;
    bool m_dirty = false; ///< the file changed while a read was in flight
    QStringDecoder m_decoder;
    QFileSystemWatcher m_watcher;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QFuture<void> m_read; ///< the read in flight (one at a time)
};

} // namespace clade::models
