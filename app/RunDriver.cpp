#include "app/RunDriver.h"

#include "app/ExitCode.h"
#include "app/HeadlessPrinter.h"

#include <csignal>
#include <pthread.h>
#include <thread>

namespace clade::app {

namespace {

/// Turns SIGINT/SIGTERM into engine.stop() from a thread of its own (a signal handler may
/// not touch the engine's locks). The signals are already blocked (SignalMask), so one
/// that arrived while the engine was opening is delivered here, not lost or fatal.
class StopOnSignal {
public:
    StopOnSignal(engine::RunEngine& engine, const sigset_t& set)
    {
        m_thread = std::thread([&engine, set] {
            for (;;) {
                int signal = 0;
                if (sigwait(&set, &signal) != 0 || signal == SIGUSR1)
                    return;
                std::fputs("\nclade: stopping; running work is re-queued for `clade resume`\n",
                           stderr);
                engine.stop(true);
            }
        });
    }
    ~StopOnSignal()
    {
        pthread_kill(m_thread.native_handle(), SIGUSR1);
        m_thread.join();
    }

private:
    std::thread m_thread;
};

void printSummary(const engine::RunEngine& engine, const engine::RunOutcome& outcome,
                  double seconds)
{
    // The engine's own progress, so the summary names the best node its listeners were told.
    const engine::RunProgress p = engine.progress();
    const auto dir = engine.runDir().string();
    std::printf("%s: %s\n",
                outcome.status == engine::RunOutcome::Status::Finished  ? "finished"
                : outcome.status == engine::RunOutcome::Status::Stopped ? "stopped"
                                                                        : "failed",
                outcome.message.c_str());
    std::printf("  children %d, evaluated %d, failed %d, this session %s\n", p.children,
                p.evaluated, p.failed, formatDuration(seconds).c_str());
    if (p.costUsed > 0)
        std::printf("  model calls $%.4f\n", p.costUsed);
    if (p.bestId)
        std::printf("  root #0 %s -> best #%d %s (%+.4f)\n", formatScore(p.rootScore).c_str(),
                    *p.bestId, formatScore(p.bestScore).c_str(),
                    p.rootScore && p.bestScore ? *p.bestScore - *p.rootScore : 0.0);
    std::printf("  run folder: %s\n", dir.c_str());
    if (p.bestId)
        std::printf("  next: clade status %s | clade show %s %d --diff | clade export %s "
                    "--format csv\n",
                    dir.c_str(), dir.c_str(), *p.bestId, dir.c_str());
}

} // namespace

SignalMask::SignalMask()
{
    sigemptyset(&m_set);
    sigaddset(&m_set, SIGINT);
    sigaddset(&m_set, SIGTERM);
    sigaddset(&m_set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &m_set, &m_previous);
}

SignalMask::~SignalMask()
{
    pthread_sigmask(SIG_SETMASK, &m_previous, nullptr);
}

int driveRunHeadless(const std::filesystem::path& runDir,
                     const engine::RunEngine::Overrides& overrides)
{
    SignalMask mask;
    engine::RunEngine engine(runDir, overrides);
    HeadlessPrinter printer;
    engine.addListener([&printer](const engine::RunEvent& e, const engine::RunProgress& p) {
        printer.onEvent(e, p);
    });
    std::printf("run folder: %s\n", engine.runDir().c_str());
    const auto started = std::chrono::steady_clock::now();
    engine::RunOutcome outcome;
    {
        StopOnSignal stopper(engine, mask.set());
        outcome = engine.run();
    }
    printer.finish();
    printSummary(engine, outcome,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    switch (outcome.status) {
    case engine::RunOutcome::Status::Finished:
        return ExitDone;
    case engine::RunOutcome::Status::Stopped:
        return ExitInterrupted;
    case engine::RunOutcome::Status::InputError:
        std::fprintf(stderr, "clade: %s\n", outcome.message.c_str());
        return ExitBadInput;
    case engine::RunOutcome::Status::Failed:
        std::fprintf(stderr, "clade: run failed: %s\n", outcome.message.c_str());
        return ExitRunFailed;
    }
    return ExitRunFailed;
}

} // namespace clade::app
