#pragma once

#include <QFileSystemWatcher>
#include <QStringList>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTabBar;

namespace clade::models {
class LogTail;
}

namespace clade::ui {

class TextSearchBar;

/// The logs of one node (artifacts/<id>/*.log: propose, solve, score, evaluate, ...), one
/// tab each. The shown log is read off the GUI thread, capped to its last megabytes, and
/// followed while it grows: appended bytes are added without reloading, and the view
/// stays at the bottom unless the reader scrolled up. New log files appear as new tabs.
class LogView : public QWidget {
    Q_OBJECT

public:
    explicit LogView(QWidget* parent = nullptr);
    ~LogView() override;

    /// Shows node `nodeId` of the run in `runFolder`; keeps the same log name selected
    /// when the new node has it.
    void showNode(const QString& runFolder, int nodeId);
    void clear();
    /// Bytes kept from the end of a log (default models::LogTail::DefaultMaxBytes).
    void setMaxBytes(qint64 bytes);

    /// File names of the node's logs, in tab order ("propose.log", "evaluate.log").
    QStringList logNames() const { return m_logNames; }
    QString currentLog() const;
    void selectLog(const QString& fileName);
    /// The text on display (for tests and copy).
    QString text() const;
    TextSearchBar* searchBar() const { return m_search; }

Q_SIGNALS:
    /// The shown text changed: loaded, appended to or cleared.
    void textUpdated();

private:
    void refreshLogList();
    void openCurrentLog();
    void onReset(const QString& text, qint64 skippedBytes, bool exists);
    void onAppended(const QString& text);
    void trimIfTooLong();
    void setNote(const QString& note);
    QString logFolder() const;

    models::LogTail* m_tail;
    QFileSystemWatcher m_folderWatcher;
    QTabBar* m_tabs;
    QLabel* m_note;
    QLabel* m_empty;
    QPlainTextEdit* m_text;
    TextSearchBar* m_search;
    QString m_runFolder;
    int m_nodeId = -1;
    QStringList m_logNames;
    qint64 m_skipped = 0;
    bool m_trimmed = false;
};

} // namespace clade::ui
