#pragma once

#include "engine/store/Node.h"
#include "engine/store/RunEvent.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clade::engine {

/// One unit of work for a worker thread. A value: the worker gets its own copy.
struct Job {
    enum class Kind { Expand, Evaluate };
    Kind kind = Kind::Expand;
    int node = -1;          ///< the parent (Expand) or the node to evaluate (Evaluate)
    std::uint64_t sequence = 0; ///< dispatch order; results are applied in this order
    int childId = -1;       ///< Expand: the id reserved for the child
    std::uint64_t seed = 0; ///< Expand: the proposer's seed
    std::vector<std::string> tasks; ///< Evaluate: which tasks
    std::vector<Node> history;      ///< Expand: the archive as the proposer should see it
};

/// What a worker hands back to the coordinator.
struct JobResult {
    enum class Kind {
        Done,      ///< the store has the new state; `node` is it
        Cancelled, ///< stopped before anything was committed (evaluations are re-queued)
        Fatal,     ///< the run cannot go on (`message`); `inputError`: exit status 2
    };
    Job job;
    Kind kind = Kind::Done;
    std::optional<Node> node;
    std::vector<RunEvent> events;
    bool proposalFailed = false;
    bool inputError = false;
    std::string message;
};

} // namespace clade::engine
