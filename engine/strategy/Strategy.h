#pragma once

#include "engine/manifest/Manifest.h"
#include "engine/store/Node.h"
#include "engine/strategy/StrategyInsight.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace clade::engine {

class GuardChecker;

/// What a strategy asks the scheduler to do next.
struct Action {
    enum class Kind {
        Expand,   ///< propose a child of `node`
        Evaluate, ///< evaluate `node` on `tasks`
        Wait,     ///< nothing to start until something in flight finishes
        Stop,     ///< the search is over (`reason` says why)
    };
    Kind kind = Kind::Wait;
    int node = -1;
    std::vector<std::string> tasks;
    std::string reason;
};

/// A read-only view of the archive and of what is in flight; valid during one call.
/// Built from the archive at rest, then narrowed by name, so no call site passes a bare
/// count or flag by position:
///     ArchiveView(nodes, tasks, direction).inFlight(evaluating, 2).blocking(blocked)
class ArchiveView {
public:
    /// The archive at rest: nothing in flight, expansions allowed, nothing blocked.
    ArchiveView(const std::vector<Node>& nodes, const std::vector<std::string>& tasks,
                Direction direction);

    /// The same archive with `evaluating` nodes and `pendingExpansions` proposals in flight.
    ArchiveView inFlight(const std::set<int>& evaluating, int pendingExpansions) const;
    ArchiveView inFlight(std::set<int>&&, int) const = delete; // the view would dangle
    /// The same archive once the budget allows no new children (or again allows them).
    ArchiveView allowingExpansions(bool allowed) const;
    ArchiveView closedToExpansions() const { return allowingExpansions(false); }
    /// The same archive with `blocked` nodes taken out of the search.
    ArchiveView blocking(const std::set<int>& blocked) const;
    ArchiveView blocking(std::set<int>&&) const = delete; // the view would dangle
    /// The same archive judged by the manifest's `guards`: a node failing them is never
    /// kept, built on, an elite or the best (passesGuards()).
    ArchiveView guardedBy(const std::vector<GuardMetric>& guards) const;
    ArchiveView guardedBy(std::vector<GuardMetric>&&) const = delete; // the view would dangle

    const std::vector<Node>& nodes; ///< every node, ordered by id
    const std::set<int>& evaluating; ///< nodes with an evaluation in flight
    int pendingExpansions = 0;       ///< proposals in flight
    bool expansionsAllowed = true;   ///< false once the budget allows no new children
    const std::vector<std::string>& tasks;
    Direction direction = Direction::Maximize;
    /// Nodes a person has taken out of the search: reverted ones with their clades, and
    /// evaluated nodes whose keep decision waits (FlagHeld). A strategy neither expands
    /// nor counts them as the best. Null: none.
    const std::set<int>* blocked = nullptr;
    /// The guard metrics nodes are judged by (GuardCheck.h). Null: none.
    const std::vector<GuardMetric>* guards = nullptr;

    const Node* find(int id) const;
    bool isBlocked(int id) const { return blocked && blocked->count(id) != 0; }
    /// Whether `node` passes the view's guards (engine/eval/GuardCheck.h); true without any.
    bool passesGuards(const Node& node) const;
    /// Score in "higher is better" orientation.
    double oriented(double score) const { return direction == Direction::Maximize ? score : -score; }

private:
    ArchiveView(const ArchiveView& base, const std::set<int>& evaluating, int pendingExpansions,
                bool expansionsAllowed, const std::set<int>* blocked);

    /// Made at the first passesGuards(): a strategy asks it of every node, so each
    /// ancestor chain is walked once per view (GuardChecker), not once per question.
    mutable std::shared_ptr<GuardChecker> m_guardChecker;
};

/// A search strategy: a pure decision function over the archive, deterministic for a
/// given seed. It never touches the store, git or a sandbox.
class Strategy {
public:
    virtual ~Strategy() = default;
    virtual std::string name() const = 0;
    virtual nlohmann::json parameters() const = 0;
    virtual Action next(const ArchiveView& view) = 0;
    /// Flags to record once `node` is evaluated (kept / reverted), or nullopt to leave them.
    virtual std::optional<unsigned> flagsAfterEvaluation(const ArchiveView& view, const Node& node)
    {
        (void)view;
        (void)node;
        return std::nullopt;
    }
    /// What the strategy knows about the run's nodes (clade estimates, islands, stages), for
    /// the explorer; nullopt when it decides from scores and flags alone.
    virtual std::optional<StrategyInsight> insight(const ArchiveView& view) const
    {
        (void)view;
        return std::nullopt;
    }
};

/// Names the built-in strategies accept.
std::vector<std::string> strategyNames();

/// Throws InputError for an unknown name or a bad parameter (naming the parameter).
std::unique_ptr<Strategy> makeStrategy(const std::string& name, const nlohmann::json& params,
                                       std::uint64_t seed);

/// The nodes a strategy must leave alone (ArchiveView::blocked): held nodes, nodes a person
/// reverted (`personReverted`, still flagged reverted), and every descendant of either by
/// primary parent. `nodes` ascending by id.
std::set<int> blockedNodes(const std::vector<Node>& nodes, const std::set<int>& personReverted);

/// Tasks of the run that `node` has no result for yet.
std::vector<std::string> missingTasks(const Node& node, const std::vector<std::string>& tasks);

/// Whether `node` has a result for every one of `tasks` (missingTasks() empty, without
/// building the list: strategies ask it of every node at every decision).
bool hasEveryTask(const Node& node, const std::vector<std::string>& tasks);

/// Evaluate the oldest proposed node that is not being evaluated, on the tasks it lacks
/// (all of them if it has every result, as after a requeue), or nullopt when there is none.
/// The strategies that finish a child before proposing more start every decision here.
std::optional<Action> evaluateOldestProposed(const ArchiveView& view, const std::string& reason);

} // namespace clade::engine
