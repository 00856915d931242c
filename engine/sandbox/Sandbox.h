#pragma once

#include "engine/sandbox/SandboxResult.h"
#include "engine/sandbox/SandboxSpec.h"
#include "engine/sandbox/SandboxUser.h"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace clade::engine {

/// Runs agent code under limits. run() is synchronous and needs no event loop, so a worker
/// calls it from its own thread; one instance may be used from several threads at once.
/// Nothing the command started is left running when run() returns.
class Sandbox {
public:
    virtual ~Sandbox() = default;

    /// "bwrap" or "unsafe-rlimits".
    virtual std::string name() const = 0;

    /// Runs `spec` to completion or until a limit or `*cancel` (checked every 50 ms) stops
    /// it. Never throws for a command that fails; a command that cannot start comes back
    /// with launched == false.
    virtual SandboxResult run(const SandboxSpec& spec,
                              const std::atomic<bool>* cancel = nullptr) = 0;

    /// Guarantees this backend does not give, one human-readable line each; empty when
    /// every isolation property and limit of SandboxSpec holds.
    virtual std::vector<std::string> unenforcedLimits() const = 0;

    /// Work this backend had to cancel elsewhere because run() was cancelled (the Slurm
    /// executor's job ids), taken once: the run records what a stop cancelled. Empty for a
    /// backend that runs everything on this host.
    virtual std::vector<std::string> takeCancelledJobs() { return {}; }

    /// Releases what the backend holds for the run between phases (the Slurm executor's
    /// allocation) at the end of a session; returns what it released (job ids).
    virtual std::vector<std::string> releaseHeld() { return {}; }
};

/// "bwrap" (also the empty string) or "unsafe-rlimits". Throws std::invalid_argument for
/// another name and std::runtime_error when bubblewrap is not installed.
std::unique_ptr<Sandbox> makeSandbox(const std::string& backend);

} // namespace clade::engine
