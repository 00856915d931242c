#pragma once

#include <optional>
#include <string>
#include <vector>

namespace clade::engine {

class RunStore;
class Sandbox;

/// What the sandbox of a run's latest session could not guarantee on the host that ran
/// it. Recorded in the run (clade.db meta "sandbox_session") when the session starts, so a
/// window following the run, or opening it later, knows what the running process knew. A
/// run resumed on another host records again: the limits are the host's, not the run's.
struct SandboxSession {
    std::string backend;                 ///< "bwrap" or "unsafe-rlimits"
    std::vector<std::string> unenforced; ///< Sandbox::unenforcedLimits(), one line each
    std::string host;                    ///< the host name of the session
    double startedAt = 0;                ///< unix seconds

    bool operator==(const SandboxSession&) const = default;
};

/// Records `sandbox`'s gaps on this host as the run's latest session, and logs them as
/// warnings (sandboxWarning()'s words): said on every start, a researcher must not miss
/// that agent code runs with weaker isolation than the default promises.
SandboxSession recordSandboxSession(RunStore& store, const Sandbox& sandbox);

/// The latest recorded session; nullopt before any started (a new run, a run made by an
/// older Clade, an imported run) or when the record is unreadable.
std::optional<SandboxSession> readSandboxSession(RunStore& store);

} // namespace clade::engine
