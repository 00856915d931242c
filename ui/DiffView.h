#pragma once

#include "engine/git/RunDiff.h"

#include <QWidget>

#include <filesystem>
#include <memory>
#include <string>

class QLabel;
class QListView;
class QModelIndex;
class QStackedWidget;
class QTimer;
class QToolButton;

namespace clade::models {
class DiffFileListModel;
class DiffLoader;
}

namespace clade::ui {

class DiffTextView;
class SideBySideDiffView;

/// The explorer's diff pane: a file list on the left, the diff on the right (unified or
/// side by side), a header with the totals. A models::DiffLoader computes the diff off this
/// thread; a busy bar with Cancel shows while it runs.
class DiffView : public QWidget {
    Q_OBJECT

public:
    explicit DiffView(QWidget* parent = nullptr);
    ~DiffView() override;

    /// Diffs `oldCommit` against `newCommit` (hex) in the bare repository `repo`. An empty
    /// `oldCommit` is the root node: its files are shown as added. `title` heads the pane
    /// ("Node 7 vs 3").
    void showDiff(const std::filesystem::path& repo, const std::string& oldCommit,
                  const std::string& newCommit, const QString& title);
    /// Drops any diff and shows `message` in place of it ("Select a node").
    void showMessage(const QString& message);
    void clear();
    /// Stops the diff in flight; the pane says it was cancelled.
    void cancel();

    void setSideBySide(bool sideBySide);
    bool isSideBySide() const { return m_sideBySide; }
    bool isBusy() const { return m_busy; }
    /// Shows file `index` of the diff and selects it in the list.
    void selectFile(int index);
    const models::DiffFileListModel* fileModel() const { return m_model; }
    /// The diff on display, null while none is.
    std::shared_ptr<const git::DiffResult> result() const { return m_result; }

Q_SIGNALS:
    /// A diff finished and is on screen (`files` may be 0: "No changes").
    void diffShown(int files);
    void busyChanged(bool busy);

private:
    QWidget* createHeader();
    QWidget* createBusyBar();
    void onDiffLoaded(const std::shared_ptr<const git::DiffResult>& result);
    void setBusy(bool busy);
    void showResult(std::shared_ptr<const git::DiffResult> result);
    void onCurrentFileChanged(const QModelIndex& current);
    void onTopFileChanged(int fileIndex);
    void stepFile(int delta);

    models::DiffFileListModel* m_model;
    models::DiffLoader* m_loader;
    QLabel* m_title;
    QLabel* m_summary;
    QLabel* m_banner;
    QLabel* m_message;
    QToolButton* m_unifiedButton;
    QToolButton* m_sideBySideButton;
    QToolButton* m_previousButton;
    QToolButton* m_nextButton;
    QWidget* m_busyBar;
    QTimer* m_busyDelay;
    QListView* m_fileList;
    QStackedWidget* m_pages;     ///< message or diff
    QStackedWidget* m_textStack; ///< unified or side by side
    DiffTextView* m_unified;
    SideBySideDiffView* m_sideBySideView;

    std::shared_ptr<const git::DiffResult> m_result;
    bool m_busy = false;
    bool m_sideBySide = false;
    bool m_root = false;
    bool m_syncingSelection = false;
};

} // namespace clade::ui
