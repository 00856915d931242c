#pragma once

#include "engine/review/WaitsForReview.h"
#include "engine/run/RunConfig.h"
#include "engine/run/RunProgress.h"
#include "engine/store/Node.h"

#include <optional>
#include <set>
#include <vector>

namespace clade::engine {

// The facts about a run that every reader states alike: the engine that drives it, a
// window that drives or follows it, `clade status` and the headless summary. Each is
// computed here and nowhere else, so none of them can name a node the others do not.
//
// Inputs are what every reader has: the stored nodes (ascending id), the run's config and
// the nodes a person reverted (personRevertedNodes()).

// waitsForReview(node), whether a node waits for a person, is the review layer's rule
// (engine/review/WaitsForReview.h), stated here with the rest.

/// How many of `nodes` waitsForReview().
int countWaitingForReview(const std::vector<Node>& nodes);

/// The run's best node: bestNode() over the view the engine decides with, so the node a
/// run reports is the node its strategy builds on. The rule, for everyone who names a best:
/// - evaluated and scored, not reverted;
/// - not blocked (blockedNodes()): not a keep held for review, nor built on one — a person
///   has not accepted its score jump, so it is not kept yet — and not in a clade a person
///   reverted;
/// - passing the run's guards (checkGuards(), engine/eval/GuardCheck.h);
/// - among those, the highest primary score (lowest for a minimized metric) of the nodes
///   scored on every task of the run; on part of the tasks only when none has them all.
/// A proposal awaiting approval has no score. Once a person approves a held keep the node
/// may be the best; until then the best is the best of the nodes nobody has to look at.
std::optional<int> runBest(const std::vector<Node>& nodes, const RunConfig& config,
                           const std::set<int>& personReverted);

/// Where the run stands by its stored nodes alone: counts by status, waiting for review,
/// task evaluations and cost recorded, runBest(), the root's score, the budgets, and
/// `activeSeconds` as the time used. The engine that drives the run overlays what only it
/// knows (work in flight, cost of calls not yet on a node, paused, waiting for review).
RunProgress storedProgress(const std::vector<Node>& nodes, const RunConfig& config,
                           const std::set<int>& personReverted, double activeSeconds);

} // namespace clade::engine
