#pragma once

#include <optional>

namespace clade::engine {

/// Where a run stands; computed by the coordinator and handed to listeners with each event.
struct RunProgress {
    int children = 0;         ///< nodes proposed so far (failed proposals included)
    int iterationBudget = 0;  ///< children the budget allows
    int evaluated = 0;
    int failed = 0;
    int running = 0;          ///< jobs in flight
    int queued = 0;           ///< proposed nodes waiting for evaluation
    int awaitingReview = 0;   ///< proposals awaiting approval and held keep decisions
    int taskEvaluations = 0;      ///< per-task results recorded plus tasks in flight
    int taskEvaluationBudget = 0; ///< 0 = no budget in task evaluations
    double elapsedSeconds = 0;
    double maxSeconds = 0;    ///< 0 = no time budget
    double costUsed = 0;      ///< USD spent on model calls, earlier sessions included
    double maxCost = 0;       ///< 0 = no cost budget
    std::optional<int> bestId;
    std::optional<double> bestScore;
    std::optional<double> rootScore;
    bool paused = false;
    bool waitingForReview = false; ///< nothing else to do until a person decides
};

} // namespace clade::engine
