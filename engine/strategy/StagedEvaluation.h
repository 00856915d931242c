#pragma once

#include "engine/strategy/Strategy.h"

#include <functional>
#include <string>
#include <vector>

namespace clade::engine {

/// Evaluation in stages on a fixed prefix of the run's tasks, as DGM stages its benchmark
/// and OpenEvolve cascades its evaluators: a child is evaluated on the first stage's
/// tasks, and on each next stage only if it passes the one before.

/// Cumulative task counts at which each stage ends, the last being all `taskCount` tasks:
/// stage sizes {10, 50} over 200 tasks give {10, 60, 200}; clamped and without repeats.
std::vector<int> stageEnds(const std::vector<int>& stageTasks, int taskCount);

/// A strategy parameter giving the tasks of each stage before the rest ("stage_tasks",
/// "cascade_tasks"): an array of positive integers. Throws InputError naming `key`, with
/// `meaning` in parentheses.
std::vector<int> stageTaskCounts(const std::string& key, const nlohmann::json& value,
                                 const std::string& meaning);

/// Decides whether a node that completed `stagesDone` stages (>= 1, fewer than all) goes on.
using StagePass = std::function<bool(const Node& node, std::size_t stagesDone)>;

/// The tasks `node` should be evaluated on next: those of its next stage (and any it
/// lacks before), every task for a proposed node that has them all (sent back to be
/// evaluated again), or none when it is evaluated on every task, failed a stage, or is not
/// a node to evaluate (not proposed or evaluated, reverted, blocked). The root, the baseline, gets
/// every task at once. The stage a node reached is inferred from how many results it has.
std::vector<std::string> nextStageTasks(const ArchiveView& view, const Node& node,
                                        const std::vector<int>& ends, const StagePass& passes);

/// Sets `insight.stageEnds` and, for every node with results, the stage it reached
/// (NodeInsight::stage, stages, stageTasksDone, stageTasksEnd), inferred as
/// nextStageTasks() does, for the explorer's stage rings.
void addStageInsight(const ArchiveView& view, const std::vector<int>& ends, StrategyInsight& insight);

} // namespace clade::engine
