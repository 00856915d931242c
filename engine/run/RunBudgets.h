#pragma once

#include "engine/run/RunConfig.h"
#include "engine/store/Node.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace clade::llm {
class CostBudget;
} // namespace clade::llm

namespace clade::engine {

/// A run's four budgets and what they allow next: children (settings.iterations), active
/// time (maxMinutes), task evaluations (maxTaskEvaluations) and model cost (maxCost). Each
/// is a total over the whole run, counted from what is stored, so a resumed run picks up
/// where it was; 0 means no limit (iterations always has one). Used on the coordinator's
/// thread; only the cost budget (cost()) is shared, with the workers that charge it.
class RunBudgets {
public:
    /// `nodes`: the run as stored (their recorded cost counts against maxCost);
    /// `activeSecondsBefore`: the time earlier sessions used. This session's clock starts.
    RunBudgets(const RunSettings& settings, const std::vector<Node>& nodes,
               double activeSecondsBefore);
    ~RunBudgets();
    RunBudgets(const RunBudgets&) = delete;
    RunBudgets& operator=(const RunBudgets&) = delete;

    /// Starts this session's clock again (when the run starts searching).
    void startSession();
    /// The run's active time: earlier sessions, then this one so far.
    double elapsedSeconds() const;
    /// The time budget is not used up, or there is none.
    bool timeLeft() const;

    /// An evaluation of `tasks` tasks was dispatched: they count as spent until it ends.
    void evaluationStarted(int tasks);
    /// ...and came back, whatever it recorded on its node.
    void evaluationEnded(int tasks);
    /// Per-task evaluations recorded on `nodes` plus those of evaluations in flight. An
    /// evaluation that failed without results costs nothing here (the children budget still
    /// bounds a run of failures).
    int taskEvaluationsSpent(const std::vector<Node>& nodes) const;

    /// Whether the strategy may propose a child now: the children (`nodes` but the root,
    /// and `pendingExpansions` in flight) are under the budget, time is left, and neither
    /// budget that the child's evaluation needs is spent.
    bool expansionsAllowed(const std::vector<Node>& nodes, int pendingExpansions) const;
    /// Why no new work may start — the cost budget, then the task-evaluation budget, is
    /// spent — or nullopt. Work in flight still finishes and is recorded.
    std::optional<std::string> spent(const std::vector<Node>& nodes) const;

    /// The model's cost budget, charged by every worker's model calls (limit 0: none).
    llm::CostBudget& cost() { return *m_cost; }
    const llm::CostBudget& cost() const { return *m_cost; }

private:
    bool costSpent() const;
    bool taskEvaluationsUsedUp(const std::vector<Node>& nodes) const;

    const RunSettings m_settings;
    std::unique_ptr<llm::CostBudget> m_cost;
    int m_tasksInFlight = 0;
    double m_activeSecondsBefore = 0;
    std::chrono::steady_clock::time_point m_sessionStart;
};

} // namespace clade::engine
