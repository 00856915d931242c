#pragma once

#include "engine/git/RunDiff.h"
#include "models/AsyncResult.h"

#include <QObject>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

namespace clade::models {

/// Computes the diff between two commits of a run's repository (git::computeDiff, with its
/// own repository handle) on the thread pool, for the diff pane. One request counts at a
/// time: a new one cancels the one in flight, and only the latest request's answer
/// arrives. Destroying it cancels and waits.
class DiffLoader : public QObject {
    Q_OBJECT
public:
    explicit DiffLoader(QObject* parent = nullptr);
    ~DiffLoader() override;

    /// Diffs `oldCommit` (empty: the empty tree, for a root node) against `newCommit` in
    /// the bare repository `repo`.
    void load(const std::filesystem::path& repo, const std::string& oldCommit,
              const std::string& newCommit);
    /// Cancels the request in flight; nothing arrives for it.
    void cancel();
    bool isLoading() const { return m_loading; }

Q_SIGNALS:
    /// The answer to the latest load(): the diff, or DiffResult::error or ::cancelled set.
    void loaded(std::shared_ptr<const clade::git::DiffResult> result);

private:
    void onLoaded(quint64 request, git::DiffResult result);

    std::shared_ptr<std::atomic_bool> m_cancel;
    PendingCalls m_running;
    quint64 m_request = 0;
    bool m_loading = false;
};

} // namespace clade::models
