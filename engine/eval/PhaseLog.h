#pragma once

#include "engine/sandbox/SandboxResult.h"

#include <string>

namespace clade::engine {

/// One sandboxed phase as it appears in propose.log / evaluate.log: how it ended, its
/// times, then its stdout and stderr.
std::string formatPhaseLog(const std::string& phase, const SandboxResult& result);

} // namespace clade::engine
