#include "engine/strategy/StagedEvaluation.h"

#include "engine/util/InputError.h"

#include <algorithm>

namespace clade::engine {

std::vector<int> stageEnds(const std::vector<int>& stageTasks, int taskCount)
{
    std::vector<int> ends;
    int sum = 0;
    for (const int size : stageTasks) {
        sum = std::min(sum + size, taskCount);
        if (sum < taskCount && (ends.empty() || ends.back() < sum))
            ends.push_back(sum);
    }
    ends.push_back(taskCount);
    return ends;
}

std::vector<int> stageTaskCounts(const std::string& key, const nlohmann::json& value,
                                 const std::string& meaning)
{
    const bool ok = value.is_array() && std::all_of(value.begin(), value.end(), [](const nlohmann::json& v) {
                        return v.is_number_integer() && v.get<long long>() >= 1 &&
                               v.get<long long>() <= 1000000;
                    });
    if (!ok)
        throw InputError("--param " + key + ": expected an array of positive integers (" + meaning + ")");
    return value.get<std::vector<int>>();
}

std::vector<std::string> nextStageTasks(const ArchiveView& view, const Node& node,
                                        const std::vector<int>& ends, const StagePass& passes)
{
    if (node.status != NodeStatus::Proposed && node.status != NodeStatus::Evaluated)
        return {};
    if (node.hasFlag(FlagReverted) || view.isBlocked(node.id))
        return {};
    if (node.parents.empty())
        return missingTasks(node, view.tasks);
    const int taskCount = static_cast<int>(view.tasks.size());
    const int done = taskCount - static_cast<int>(missingTasks(node, view.tasks).size());
    // Stages completed so far, by how many results the node has.
    const auto reached = static_cast<std::size_t>(std::upper_bound(ends.begin(), ends.end(), done) -
                                                  ends.begin());
    if (reached >= ends.size())
        // A proposed node with every result was sent back to be evaluated again.
        return node.status == NodeStatus::Proposed ? view.tasks : std::vector<std::string>{};
    // A child that failed its guards on a stage goes no further: it can never be built on.
    if (reached > 0 && (!node.score || !view.passesGuards(node) || !passes(node, reached)))
        return {};
    std::vector<std::string> missing;
    for (int i = 0; i < ends[reached]; ++i) {
        const auto& task = view.tasks[static_cast<std::size_t>(i)];
        if (!node.results.count(task))
            missing.push_back(task);
    }
    return missing;
}

void addStageInsight(const ArchiveView& view, const std::vector<int>& ends, StrategyInsight& insight)
{
    insight.stageEnds = ends;
    const int taskCount = static_cast<int>(view.tasks.size());
    for (const auto& node : view.nodes) {
        const int done = taskCount - static_cast<int>(missingTasks(node, view.tasks).size());
        if (done == 0)
            continue;
        NodeInsight& entry = insight.nodes[node.id];
        entry.stages = static_cast<int>(ends.size());
        // Stage k (1-based) is under way or done when more than ends[k-2] tasks have results.
        entry.stage = static_cast<int>(std::lower_bound(ends.begin(), ends.end(), done) -
                                       ends.begin()) + 1;
        entry.stage = std::min(entry.stage, entry.stages);
        entry.stageTasksDone = done;
        entry.stageTasksEnd = ends[static_cast<std::size_t>(entry.stage - 1)];
    }
}

} // namespace clade::engine
