#include "models/EngineController.h"

#include "engine/run/RunCreator.h"
#include "engine/util/InputError.h"

namespace clade::models {

namespace fs = std::filesystem;
using Status = engine::RunOutcome::Status;

EngineController::EngineController(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<engine::RunProgress>();
    qRegisterMetaType<Status>();
}

EngineController::~EngineController()
{
    stop();
    if (m_thread.joinable())
        m_thread.join();
}

void EngineController::createAndRun(const QString& agentDir, const QString& out,
                                    const engine::RunSettings& settings)
{
    startThread([this, agent = fs::path(agentDir.toStdString()),
                 target = fs::path(out.toStdString()), settings] {
        fs::path runDir;
        try {
            runDir = engine::createRun(agent, target, settings);
        } catch (const engine::InputError& error) {
            reportEnd(Status::InputError, QString::fromStdString(error.what()));
            return;
        } catch (const std::exception& error) {
            reportEnd(Status::Failed, QString::fromStdString(error.what()));
            return;
        }
        drive(runDir, {});
    });
}

void EngineController::run(const QString& runDir, const engine::RunEngine::Overrides& overrides)
{
    startThread([this, dir = fs::path(runDir.toStdString()), overrides] { drive(dir, overrides); });
}

void EngineController::startThread(std::function<void()> body)
{
    if (isRunning())
        throw std::logic_error("EngineController: a run is already going");
    if (m_thread.joinable())
        m_thread.join();
    m_finished = false;
    m_paused = false;
    m_stopRequested = false;
    m_thread = std::thread(std::move(body));
}

void EngineController::drive(const fs::path& runDir, const engine::RunEngine::Overrides& o)
{
    // Exceptions end here: they never cross into Qt's event loop.
    try {
        engine::RunEngine engine(runDir, o);
        engine.addListener([this](const engine::RunEvent& event,
                                  const engine::RunProgress& progress) {
            const int nodeId = event.nodeId;
            QMetaObject::invokeMethod(this, [this, nodeId, progress] {
                Q_EMIT committed(nodeId);
                Q_EMIT progressed(progress);
            }, Qt::QueuedConnection);
        });
        {
            std::lock_guard lock(m_mutex);
            if (m_stopRequested) {
                reportEnd(Status::Stopped, tr("stopped before it started"));
                return;
            }
            m_engine = &engine;
        }
        const QString dir = QString::fromStdString(runDir.string());
        QMetaObject::invokeMethod(this, [this, dir] { Q_EMIT runOpened(dir); },
                                  Qt::QueuedConnection);
        const engine::RunOutcome outcome = engine.run();
        {
            std::lock_guard lock(m_mutex);
            m_engine = nullptr;
        }
        reportEnd(outcome.status, QString::fromStdString(outcome.message));
    } catch (const engine::InputError& error) {
        reportEnd(Status::InputError, QString::fromStdString(error.what()));
    } catch (const std::exception& error) {
        reportEnd(Status::Failed, QString::fromStdString(error.what()));
    }
    std::lock_guard lock(m_mutex);
    m_engine = nullptr;
}

void EngineController::reportEnd(Status status, const QString& message)
{
    QMetaObject::invokeMethod(this, [this, status, message] {
        m_finished = true;
        Q_EMIT runEnded(status, message);
    }, Qt::QueuedConnection);
}

void EngineController::pause()
{
    std::lock_guard lock(m_mutex);
    if (m_engine) {
        m_engine->pause();
        m_paused = true;
    }
}

void EngineController::resume()
{
    std::lock_guard lock(m_mutex);
    if (m_engine) {
        m_engine->resume();
        m_paused = false;
    }
}

void EngineController::stop()
{
    std::lock_guard lock(m_mutex);
    m_stopRequested = true;
    if (m_engine)
        m_engine->stop(true);
}

} // namespace clade::models
