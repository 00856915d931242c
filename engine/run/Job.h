#pragma once

#include "engine/store/Node.h"
#include "engine/store/RunEvent.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
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

/// What a worker hands back to the coordinator. Made by name only, so no call site states
/// an outcome by a bare flag in a row of positions:
///     JobResult::done(job, node, events)      JobResult::cancelled(job)
///     JobResult::proposalFailed(job, child, events)
///     JobResult::fatal(job, message)          JobResult::inputError(job, message)
class JobResult {
public:
    enum class Kind {
        Done,           ///< the store has the new state; `node` is it
        ProposalFailed, ///< done, and the proposal failed: `node` is the child, recorded failed
        Cancelled,      ///< stopped before anything was committed (evaluations are re-queued)
        Fatal,          ///< the engine cannot go on (`message`): exit status 1
        InputError,     ///< the run cannot go on, its input is at fault (`message`): exit status 2
    };

    /// The job's work is stored: `node` is the child proposed, or the node evaluated
    /// (evaluated or failed).
    static JobResult done(Job job, std::optional<Node> node, std::vector<RunEvent> events);
    /// The proposal failed: the child is stored as failed. The coordinator counts these in
    /// a row (settings.maxConsecutiveProposeFailures).
    static JobResult proposalFailed(Job job, std::optional<Node> child,
                                    std::vector<RunEvent> events);
    /// Nothing was committed; an evaluation's node is back in the queue (`node`, `events`).
    static JobResult cancelled(Job job, std::optional<Node> node = std::nullopt,
                               std::vector<RunEvent> events = {});
    /// The engine itself failed (git, disk, database, a worker that could not start). What
    /// was stored before it did comes along (`node`, `events`).
    static JobResult fatal(Job job, std::string message, std::optional<Node> node = std::nullopt,
                           std::vector<RunEvent> events = {});
    /// Something a person must fix (the manifest, the harness, the model's key): the run
    /// stops with `message`, and exits with status 2.
    static JobResult inputError(Job job, std::string message,
                                std::optional<Node> node = std::nullopt,
                                std::vector<RunEvent> events = {});

    /// Fatal or InputError: the run stops.
    bool stopsTheRun() const { return kind == Kind::Fatal || kind == Kind::InputError; }

    Job job;
    Kind kind;
    std::optional<Node> node;
    std::vector<RunEvent> events;
    std::string message; ///< Fatal, InputError: why the run stops

private:
    JobResult(Job job, Kind kind, std::optional<Node> node, std::vector<RunEvent> events,
              std::string message);
};

inline JobResult::JobResult(Job job, Kind kind, std::optional<Node> node,
                            std::vector<RunEvent> events, std::string message)
    : job(std::move(job)), kind(kind), node(std::move(node)), events(std::move(events)),
      message(std::move(message))
{
}

inline JobResult JobResult::done(Job job, std::optional<Node> node, std::vector<RunEvent> events)
{
    return JobResult(std::move(job), Kind::Done, std::move(node), std::move(events), {});
}

inline JobResult JobResult::proposalFailed(Job job, std::optional<Node> child,
                                           std::vector<RunEvent> events)
{
    return JobResult(std::move(job), Kind::ProposalFailed, std::move(child), std::move(events), {});
}

inline JobResult JobResult::cancelled(Job job, std::optional<Node> node,
                                      std::vector<RunEvent> events)
{
    return JobResult(std::move(job), Kind::Cancelled, std::move(node), std::move(events), {});
}

inline JobResult JobResult::fatal(Job job, std::string message, std::optional<Node> node,
                                  std::vector<RunEvent> events)
{
    return JobResult(std::move(job), Kind::Fatal, std::move(node), std::move(events),
                     std::move(message));
}

inline JobResult JobResult::inputError(Job job, std::string message, std::optional<Node> node,
                                       std::vector<RunEvent> events)
{
    return JobResult(std::move(job), Kind::InputError, std::move(node), std::move(events),
                     std::move(message));
}

} // namespace clade::engine
