#pragma once
// A small run with guards, two of whose nodes fail them: one past a limit, one by drifting
// from its best ancestor (max_regression). For the tree's mark and the inspector's table.

#include "engine/run/RunConfig.h"
#include "engine/store/Node.h"
#include "support/SyntheticNodes.h"

#include <vector>

namespace testsupport {

struct GuardedRun {
    clade::engine::RunConfig config;
    std::vector<clade::engine::Node> nodes; ///< ascending id
    int pastLimit = -1; ///< fails clade.solve_seconds_per_task's limit, with the top score
    int regressed = -1; ///< p95_latency_ms 29.6% worse than its best ancestor's (#3)
    int best = -1;      ///< the run's best under its guards
    int pending = -1;   ///< still being evaluated: no verdict
};

/// Eight nodes scored on t0 and t1. Guards: clade.solve_seconds_per_task (an engine metric,
/// minimize, limit 2) and p95_latency_ms (a harness metric, minimize, limit 500,
/// max_regression 0.2).
inline GuardedRun guardedRun()
{
    using namespace clade::engine;
    GuardedRun run;
    run.config.manifest.tasks = {"t0", "t1"};
    run.config.manifest.direction = Direction::Maximize;
    GuardMetric time;
    time.name = "clade.solve_seconds_per_task";
    time.direction = Direction::Minimize;
    time.limit = 2.0;
    GuardMetric latency;
    latency.name = "p95_latency_ms";
    latency.direction = Direction::Minimize;
    latency.limit = 500;
    latency.maxRegression = 0.2;
    run.config.manifest.guards = {time, latency};

    // id, parent, score on both tasks, solve seconds per task, p95 latency, flags
    struct Row {
        int id, parent;
        double score, secondsPerTask, latency;
        unsigned flags;
    };
    const Row rows[] = {
        {0, -1, 0.40, 1.2, 300, FlagKept}, {1, 0, 0.52, 1.3, 280, FlagKept},
        {2, 0, 0.47, 1.1, 310, 0},         {3, 1, 0.61, 1.5, 270, FlagKept},
        {4, 1, 0.88, 2.6, 260, 0},         {5, 3, 0.79, 1.6, 350, 0},
        {6, 3, 0.70, 1.4, 265, FlagKept},
    };
    for (const Row& row : rows) {
        Node node = scoredNode(row.id, row.parent, {{"t0", row.score}, {"t1", row.score}}, row.flags);
        node.metrics["clade.solve_seconds"] = row.secondsPerTask * 2; // two tasks
        node.metrics["p95_latency_ms"] = row.latency;
        // The rest of a stored node, so the views show what a real one shows.
        const char* changes[] = {"the agent as given", "retry a failed tool call once",
                                 "cache file reads", "plan before editing",
                                 "run every test after each edit", "longer context for the planner",
                                 "stop after two failed plans"};
        node.description = changes[row.id];
        node.commit = std::string(40, "0123456789abcdef"[row.id]);
        node.proposer.kind = row.id == 0 ? "root" : "llm";
        node.proposer.model = row.id == 0 ? "" : "claude-sonnet";
        node.proposer.tokensIn = row.id == 0 ? 0 : 12000 + 900 * row.id;
        node.proposer.tokensOut = row.id == 0 ? 0 : 1400 + 60 * row.id;
        node.proposer.cost = row.id == 0 ? 0 : 0.03 + 0.002 * row.id;
        node.diff.files = row.id == 0 ? 0 : 1 + row.id % 3;
        node.diff.insertions = row.id == 0 ? 0 : 12 * row.id;
        node.diff.deletions = row.id == 0 ? 0 : 3 * row.id;
        node.createdAt = 1'796'000'000 + 600 * row.id;
        node.updatedAt = node.createdAt + 240;
        node.proposeSeconds = row.id == 0 ? 0 : 20 + row.id;
        node.evaluateSeconds = row.secondsPerTask * 2 + 1;
        run.nodes.push_back(node);
    }
    Node evaluating = makeNode(7, 6, {}, NodeStatus::Evaluating);
    evaluating.description = "summarise long tool outputs";
    run.nodes.push_back(evaluating);
    run.pastLimit = 4;
    run.regressed = 5;
    run.best = 6;
    run.pending = 7;
    return run;
}

} // namespace testsupport
