#pragma once
// Plays a strategy against a synthetic archive, as RunEngine does with one worker whose
// work lands at once: ask for an action, apply it (an expansion adds a proposed child, an
// evaluation records a simulated result per task and the strategy's keep flags), ask again.
// Nothing is ever in flight, so the strategy decides from the archive alone.

#include "engine/store/Node.h"
#include "engine/strategy/Strategy.h"

#include <QString>
#include <QStringList>

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace testsupport {

/// The node ids in a data row's comma-separated column ("1,3"; empty: none), as the set of
/// nodes in flight that ArchiveView::inFlight takes.
inline std::set<int> nodeIdsIn(const QString& column)
{
    std::set<int> ids;
    for (const auto& id : column.split(',', Qt::SkipEmptyParts))
        ids.insert(id.toInt());
    return ids;
}

class StrategySimulator {
public:
    /// The result an evaluation of `node` records on `task`.
    using Score = std::function<double(const clade::engine::Node& node, const std::string& task)>;
    /// The metrics an evaluated node reports (its score phase's), replacing any it had.
    using Metrics = std::function<std::map<std::string, double>(const clade::engine::Node& node)>;
    /// Called with each decision before it is applied, and the view it was made on.
    using Observer = std::function<void(const clade::engine::ArchiveView& view,
                                        const clade::engine::Action& action)>;

    /// A fresh run: the root proposed, not yet evaluated.
    StrategySimulator(std::vector<std::string> tasks, Score score)
        : m_tasks(std::move(tasks)), m_score(std::move(score))
    {
        clade::engine::Node root;
        root.id = 0;
        m_nodes.push_back(root);
    }

    /// The run's children budget (RunSettings::iterations): expansions are allowed while
    /// fewer children exist. Without one, always.
    StrategySimulator& childBudget(int children)
    {
        m_childBudget = children;
        return *this;
    }

    StrategySimulator& reportingMetrics(Metrics metrics)
    {
        m_metrics = std::move(metrics);
        return *this;
    }

    /// Judges the nodes by `guards`, as a run whose manifest declares them.
    StrategySimulator& guardedBy(std::vector<clade::engine::GuardMetric> guards)
    {
        m_guards = std::move(guards);
        return *this;
    }

    const std::vector<clade::engine::Node>& nodes() const { return m_nodes; }

    /// The archive as the strategy sees it now.
    clade::engine::ArchiveView view() const
    {
        const bool allowed =
            !m_childBudget || static_cast<int>(m_nodes.size()) - 1 < *m_childBudget;
        return clade::engine::ArchiveView(m_nodes, m_tasks, clade::engine::Direction::Maximize)
            .allowingExpansions(allowed)
            .guardedBy(m_guards);
    }

    /// Applies `action` to the archive. False when the run is over: a stop, or a wait
    /// (nothing is in flight, so it would wait for ever).
    bool apply(clade::engine::Strategy& strategy, const clade::engine::Action& action)
    {
        using clade::engine::Action;
        if (action.kind == Action::Kind::Expand) {
            clade::engine::Node child;
            child.id = static_cast<int>(m_nodes.size());
            child.parents = {action.node};
            m_nodes.push_back(child);
            return true;
        }
        if (action.kind != Action::Kind::Evaluate)
            return false;
        clade::engine::Node& node = m_nodes[static_cast<std::size_t>(action.node)];
        for (const auto& task : action.tasks)
            node.results[task] = m_score(node, task);
        double sum = 0;
        for (const auto& [task, result] : node.results)
            sum += result;
        node.score = sum / static_cast<double>(node.results.size());
        node.status = clade::engine::NodeStatus::Evaluated;
        if (m_metrics)
            node.metrics = m_metrics(node);
        if (const auto flags = strategy.flagsAfterEvaluation(view(), node))
            node.flags = *flags;
        return true;
    }

    /// Up to `steps` decisions, each applied before the next; the last is a stop or a
    /// wait unless the steps ran out first.
    std::vector<clade::engine::Action> run(clade::engine::Strategy& strategy, int steps,
                                           const Observer& observe = {})
    {
        std::vector<clade::engine::Action> actions;
        for (int step = 0; step < steps; ++step) {
            const clade::engine::ArchiveView now = view();
            actions.push_back(strategy.next(now));
            if (observe)
                observe(now, actions.back());
            if (!apply(strategy, actions.back()))
                break;
        }
        return actions;
    }

private:
    std::vector<std::string> m_tasks;
    Score m_score;
    Metrics m_metrics;
    std::vector<clade::engine::GuardMetric> m_guards;
    std::optional<int> m_childBudget;
    std::vector<clade::engine::Node> m_nodes;
};

} // namespace testsupport
