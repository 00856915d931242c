#pragma once

#include "engine/run/RunEngine.h"

#include <filesystem>

namespace clade::app {

/// Runs a run folder headless in this process: progress on the terminal, Ctrl-C (SIGINT)
/// or SIGTERM stops cleanly (in-flight work is re-queued for `clade resume`). Returns the
/// exit status.
int driveRunHeadless(const std::filesystem::path& runDir,
                     const engine::RunEngine::Overrides& overrides);

} // namespace clade::app
