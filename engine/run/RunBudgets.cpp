#include "engine/run/RunBudgets.h"

#include "engine/llm/Usage.h"

namespace clade::engine {

RunBudgets::RunBudgets(const RunSettings& settings, const std::vector<Node>& nodes,
                       double activeSecondsBefore)
    : m_settings(settings),
      m_cost(std::make_unique<llm::CostBudget>(settings.maxCost, totalCost(nodes))),
      m_activeSecondsBefore(activeSecondsBefore), m_sessionStart(std::chrono::steady_clock::now())
{
}

RunBudgets::~RunBudgets() = default;

void RunBudgets::startSession()
{
    m_sessionStart = std::chrono::steady_clock::now();
}

double RunBudgets::elapsedSeconds() const
{
    return m_activeSecondsBefore +
           std::chrono::duration<double>(std::chrono::steady_clock::now() - m_sessionStart).count();
}

bool RunBudgets::timeLeft() const
{
    return m_settings.maxMinutes <= 0 || elapsedSeconds() < m_settings.maxMinutes * 60;
}

void RunBudgets::evaluationStarted(int tasks)
{
    m_tasksInFlight += tasks;
}

void RunBudgets::evaluationEnded(int tasks)
{
    m_tasksInFlight -= tasks;
}

int RunBudgets::taskEvaluationsSpent(const std::vector<Node>& nodes) const
{
    // Counted from the nodes rather than a stored counter, so a resumed run picks up where
    // it was.
    int spent = m_tasksInFlight;
    for (const auto& node : nodes)
        spent += static_cast<int>(node.results.size());
    return spent;
}

bool RunBudgets::expansionsAllowed(const std::vector<Node>& nodes, int pendingExpansions) const
{
    const int children = static_cast<int>(nodes.size()) - 1 + pendingExpansions;
    if (children >= m_settings.iterations)
        return false;
    if (!timeLeft())
        return false;
    // A child proposed now could not be evaluated within the budget.
    return !taskEvaluationsUsedUp(nodes) && !costSpent();
}

std::optional<std::string> RunBudgets::spent(const std::vector<Node>& nodes) const
{
    // Model calls already in flight finish and are recorded; nothing new starts.
    if (costSpent())
        return m_cost->describe();
    // Whatever the strategy would do next costs evaluations (or makes a child that could
    // not be evaluated).
    if (taskEvaluationsUsedUp(nodes))
        return "task-evaluation budget spent (" + std::to_string(taskEvaluationsSpent(nodes)) +
               " of " + std::to_string(m_settings.maxTaskEvaluations) + ")";
    return std::nullopt;
}

bool RunBudgets::costSpent() const
{
    return m_cost->limit() > 0 && !m_cost->allows();
}

bool RunBudgets::taskEvaluationsUsedUp(const std::vector<Node>& nodes) const
{
    const int budget = m_settings.maxTaskEvaluations;
    return budget > 0 && taskEvaluationsSpent(nodes) >= budget;
}

} // namespace clade::engine
