#include "engine/strategy/Strategy.h"

#include "engine/eval/GuardCheck.h"
#include "engine/importers/ImportedStrategy.h"
#include "engine/store/FindNode.h"
#include "engine/strategy/AdasStrategy.h"
#include "engine/strategy/DgmStrategy.h"
#include "engine/strategy/HgmStrategy.h"
#include "engine/strategy/IslandsStrategy.h"
#include "engine/strategy/SicaStrategy.h"
#include "engine/util/InputError.h"

#include <algorithm>

namespace clade::engine {

namespace {
const std::set<int> kNothing;
}

ArchiveView::ArchiveView(const std::vector<Node>& nodes, const std::vector<std::string>& tasks,
                         Direction direction)
    : nodes(nodes), evaluating(kNothing), tasks(tasks), direction(direction)
{
}

ArchiveView::ArchiveView(const ArchiveView& base, const std::set<int>& evaluating,
                         int pendingExpansions, bool expansionsAllowed,
                         const std::set<int>* blocked)
    : nodes(base.nodes), evaluating(evaluating), pendingExpansions(pendingExpansions),
      expansionsAllowed(expansionsAllowed), tasks(base.tasks), direction(base.direction),
      blocked(blocked), guards(base.guards)
{
}

ArchiveView ArchiveView::inFlight(const std::set<int>& evaluatingNow, int pendingNow) const
{
    return ArchiveView(*this, evaluatingNow, pendingNow, expansionsAllowed, blocked);
}

ArchiveView ArchiveView::allowingExpansions(bool allowed) const
{
    return ArchiveView(*this, evaluating, pendingExpansions, allowed, blocked);
}

ArchiveView ArchiveView::blocking(const std::set<int>& blockedNow) const
{
    return ArchiveView(*this, evaluating, pendingExpansions, expansionsAllowed, &blockedNow);
}

ArchiveView ArchiveView::guardedBy(const std::vector<GuardMetric>& guardsNow) const
{
    ArchiveView view(*this, evaluating, pendingExpansions, expansionsAllowed, blocked);
    view.guards = &guardsNow;
    return view;
}

bool ArchiveView::passesGuards(const Node& node) const
{
    if (!guards || guards->empty())
        return true;
    if (!m_guardChecker)
        m_guardChecker = std::make_shared<GuardChecker>(*guards, nodes);
    return m_guardChecker->passes(node);
}

const Node* ArchiveView::find(int id) const
{
    return findNode(nodes, id);
}

std::vector<std::string> strategyNames()
{
    return {"sica", "hgm", "dgm", "adas", "islands"};
}

std::unique_ptr<Strategy> makeStrategy(const std::string& name, const nlohmann::json& params,
                                       std::uint64_t seed)
{
    if (name == "sica")
        return std::make_unique<SicaStrategy>(params, seed);
    if (name == "hgm")
        return std::make_unique<HgmStrategy>(params, seed);
    if (name == "dgm")
        return std::make_unique<DgmStrategy>(params, seed);
    if (name == "adas")
        return std::make_unique<AdasStrategy>(params, seed);
    if (name == "islands")
        return std::make_unique<IslandsStrategy>(params, seed);
    if (name == kImportedStrategy)
        throw InputError("this run was imported from another system: it can be opened, inspected "
                         "and exported, not resumed (start a new run from its agent instead)");
    std::string known;
    for (const auto& n : strategyNames())
        known += (known.empty() ? "" : ", ") + n;
    throw InputError("--strategy: unknown strategy '" + name + "' (expected one of: " + known + ")");
}

std::set<int> blockedNodes(const std::vector<Node>& nodes, const std::set<int>& personReverted)
{
    // Clades follow primary parents; ids grow from parent to child, so one pass in id
    // order sees every parent before its children.
    std::set<int> blocked;
    for (const auto& node : nodes) {
        const bool reverted = personReverted.count(node.id) && node.hasFlag(FlagReverted);
        if (reverted || node.hasFlag(FlagHeld) || blocked.count(node.primaryParent()))
            blocked.insert(node.id);
    }
    return blocked;
}

std::vector<std::string> missingTasks(const Node& node, const std::vector<std::string>& tasks)
{
    std::vector<std::string> missing;
    for (const auto& task : tasks)
        if (!node.results.count(task))
            missing.push_back(task);
    return missing;
}

bool hasEveryTask(const Node& node, const std::vector<std::string>& tasks)
{
    return node.results.size() >= tasks.size() &&
           std::all_of(tasks.begin(), tasks.end(),
                       [&](const std::string& task) { return node.results.count(task) != 0; });
}

std::optional<Action> evaluateOldestProposed(const ArchiveView& view, const std::string& reason)
{
    for (const auto& node : view.nodes) {
        if (node.status != NodeStatus::Proposed || view.evaluating.count(node.id))
            continue;
        auto tasks = missingTasks(node, view.tasks);
        if (tasks.empty())
            tasks = view.tasks;
        return Action{Action::Kind::Evaluate, node.id, std::move(tasks), reason};
    }
    return std::nullopt;
}

} // namespace clade::engine
