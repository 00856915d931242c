#pragma once

#include "engine/run/RunConfig.h"
#include "engine/run/RunEngine.h"
#include "engine/run/RunProgress.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <memory>
#include <mutex>
#include <thread>

namespace clade::models {

/// Runs one run's search in this process, on a thread of its own, for the GUI: creates the
/// run folder when asked to, then drives engine::RunEngine::run(). Everything it reports
/// arrives as queued signals on the GUI thread; controls may be called at any time.
/// Destroying it stops the run (in-flight work re-queued) and waits for the thread.
class EngineController : public QObject {
    Q_OBJECT
public:
    explicit EngineController(QObject* parent = nullptr);
    ~EngineController() override;

    /// Creates a run folder at `out` for the agent in `agentDir`, then runs it.
    void createAndRun(const QString& agentDir, const QString& out,
                      const engine::RunSettings& settings);
    /// Runs (or resumes) an existing run folder.
    void run(const QString& runDir, const engine::RunEngine::Overrides& overrides = {});

    bool isRunning() const { return m_thread.joinable() && !m_finished; }
    bool isPaused() const { return m_paused; }
    void pause();
    void resume();
    /// Ends the run; in-flight evaluations are cancelled and re-queued for a later resume.
    void stop();

Q_SIGNALS:
    /// The run folder exists (created or opened) and the engine owns it.
    void runOpened(const QString& runDir);
    void progressed(const clade::engine::RunProgress& progress);
    /// A change was committed to clade.db (the follower can read it now).
    void committed(int nodeId);
    /// How the run ended; `message` says why, for a person.
    void runEnded(clade::engine::RunOutcome::Status status, const QString& message);

private:
    void startThread(std::function<void()> body);
    void drive(const std::filesystem::path& runDir, const engine::RunEngine::Overrides& o);
    void reportEnd(engine::RunOutcome::Status status, const QString& message);

    std::thread m_thread;
    std::mutex m_mutex;                // guards m_engine and m_stopRequested
    engine::RunEngine* m_engine = nullptr; // set while run() is executing
    bool m_stopRequested = false;
    bool m_finished = false;
    bool m_paused = false;
};

} // namespace clade::models

Q_DECLARE_METATYPE(clade::engine::RunProgress)
Q_DECLARE_METATYPE(clade::engine::RunOutcome::Status)
