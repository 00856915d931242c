#pragma once

#include "engine/run/RunEngine.h"

#include <csignal>
#include <filesystem>

namespace clade::app {

/// Blocks SIGINT, SIGTERM and SIGUSR1 in this thread (and so in every thread it starts)
/// for its lifetime. Held while a run is created and run, so an interrupt is handled as
/// "stop cleanly" wherever it lands; sandboxed children get a clean mask of their own.
class SignalMask {
public:
    SignalMask();
    ~SignalMask();
    SignalMask(const SignalMask&) = delete;
    SignalMask& operator=(const SignalMask&) = delete;
    const sigset_t& set() const { return m_set; }

private:
    sigset_t m_set{};
    sigset_t m_previous{};
};

/// Runs a run folder headless in this process: progress on the terminal, Ctrl-C (SIGINT)
/// or SIGTERM stops cleanly (in-flight work is re-queued for `clade resume`). Returns the
/// exit status.
int driveRunHeadless(const std::filesystem::path& runDir,
                     const engine::RunEngine::Overrides& overrides);

} // namespace clade::app
