#pragma once

#include "engine/run/SandboxSession.h"

#include <optional>
#include <string>
#include <vector>

namespace clade::engine {

/// What every reader says about a run's sandbox: the engine's log at start, the headless
/// printer, `clade status` and the explorer (banner and inspector).
struct SandboxWarning {
    bool unsafe = false;                 ///< no isolation at all: the unsafe-rlimits backend
    std::vector<std::string> unenforced; ///< the latest session's gaps, one line each
    std::vector<std::string> limitNames; ///< "memory", "pids": each gap's name (before its colon)
    std::string host;                    ///< where the gaps were found; empty before a session
    /// A title for a banner or a heading: "Unsafe sandbox", "Sandbox limits not enforced".
    std::string title;
    /// A few words for a one-line view ("UNSAFE: no isolation", "not enforced: memory,
    /// pids"); empty when the sandbox gave every guarantee.
    std::string tag;
    /// One or two sentences for a banner or a log line; empty with `tag`.
    std::string headline;

    bool any() const { return !tag.empty(); }
};

/// The one rule for "this run is unsafe or has unenforced limits", and the words for it.
/// A run is unsafe when its backend (run.json's config.settings.sandbox, known before any
/// session started) is unsafe-rlimits; it has unenforced limits when its latest session
/// recorded some (readSandboxSession()).
SandboxWarning sandboxWarning(const std::string& backend,
                              const std::optional<SandboxSession>& latest);

} // namespace clade::engine
