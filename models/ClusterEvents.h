#pragma once

#include "models/RunData.h"

#include "engine/store/RunEvent.h"

#include <cstdint>
#include <vector>

namespace clade::engine {
class RunStore;
}

namespace clade::models {

/// The run's phase_placed and jobs_cancelled events, kept by the reader on its thread as
/// the run grows: the status bar's cluster facts and each node's placements come from here.
class ClusterEvents {
public:
    /// Every such event of the store (at open).
    void readAll(engine::RunStore& store);
    /// The events after `afterSeq` up to `upToSeq`; true when one of them was ours.
    bool readAfter(engine::RunStore& store, std::int64_t afterSeq, std::int64_t upToSeq);

    /// How much is read, to go back to when a read is abandoned (its transaction failed).
    struct Mark {
        std::size_t placed = 0;
        std::size_t cancelled = 0;
    };
    Mark mark() const { return {m_placed.size(), m_cancelled.size()}; }
    void rollBack(Mark mark);

    ClusterFacts facts() const;
    std::vector<engine::PlacedPhase> placementsOf(int nodeId) const;

private:
    bool take(const engine::RunEvent& event);

    std::vector<engine::RunEvent> m_placed; ///< phase_placed, in order
    std::vector<CancelledJobs> m_cancelled;
};

/// A jobs_cancelled event's payload ({"jobs": [ids], "why": text}); ids may be numbers or
/// strings, anything else is left out.
CancelledJobs cancelledJobsFromEvent(const engine::RunEvent& event);

} // namespace clade::models
