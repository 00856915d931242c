#pragma once

#include <string>
#include <vector>

namespace clade::engine {

/// Where a phase ran when an executor other than the local one ran it: so a person can
/// find its job in the cluster's own tools, and see what it waited for and what was lost.
struct PhasePlacement {
    /// An attempt that did not finish: its job or step was lost (node failure, preemption,
    /// time limit, scancel), so the phase ran again.
    struct LostAttempt {
        std::string jobId;
        std::string host; ///< empty when it never started
        std::string why;
        bool operator==(const LostAttempt&) const = default;
    };

    std::string executor; ///< "slurm"; empty: the phase ran on this host
    std::string jobId;
    std::string stepId;
    std::string host;
    double queueSeconds = 0; ///< from submission until the phase started on its node
    std::vector<LostAttempt> lost;

    bool ranHere() const { return executor.empty(); }
    bool operator==(const PhasePlacement&) const = default;
    /// "slurm job 42 step 0 on node7, queued 0.3 s; 1 lost attempt (job 41 on node3: ...)".
    std::string describe() const;
};

/// One phase of a node and where it ran: "propose", "solve" or "score".
struct PlacedPhase {
    std::string phase;
    PhasePlacement where;
};

} // namespace clade::engine
