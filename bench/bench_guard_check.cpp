// How long judging every node of a large run by its guards takes: what runBest, the tree,
// the Pareto tab and `clade status` pay on each refresh. Two guards on a synthetic run of
// 100,000 nodes with long chains: one with a limit only, one with max_regression (which
// compares each node with the best of its ancestors).
//
//   build/ci/bench/bench_guard_check [NODES] [REPEATS]
#include "bench/BenchStats.h"
#include "bench/SyntheticRun.h"

#include "engine/eval/GuardCheck.h"
#include "engine/strategy/BestNode.h"
#include "engine/strategy/Strategy.h"

#include <cstdio>
#include <random>

using namespace clade;

int main(int argc, char** argv)
{
    bench::SyntheticRunOptions options;
    options.nodes = argc > 1 ? std::atoi(argv[1]) : 100000;
    const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
    std::vector<engine::Node> nodes = bench::makeSyntheticNodes(options);
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> seconds(1.0, 2.0);
    for (auto& node : nodes)
        node.metrics["seconds"] = seconds(rng);
    const std::vector<std::string> tasks{"t0", "t1", "t2", "t3"};

    const std::vector<std::pair<const char*, std::vector<engine::GuardMetric>>> cases{
        {"limit only", {{"seconds", engine::Direction::Minimize, 1.9, std::nullopt}}},
        {"limit + max_regression", {{"seconds", engine::Direction::Minimize, 1.9, 0.5}}},
    };
    std::printf("%d nodes, %d repeats, medians\n", options.nodes, repeats);
    for (const auto& [name, guards] : cases) {
        std::vector<double> every, best;
        std::size_t failing = 0;
        for (int r = 0; r < repeats; ++r) {
            auto start = bench::Clock::now();
            const engine::GuardChecker checker(guards, nodes);
            failing = 0;
            for (const auto& node : nodes)
                failing += checker.check(node).failed();
            every.push_back(bench::millisecondsSince(start));
            start = bench::Clock::now();
            const auto found = engine::bestNode(
                engine::ArchiveView(nodes, tasks, engine::Direction::Maximize).guardedBy(guards));
            best.push_back(bench::millisecondsSince(start));
            if (!found)
                std::printf("no best node\n");
        }
        // Each node alone (checkGuards): what every reader paid before GuardChecker.
        const auto start = bench::Clock::now();
        for (const auto& node : nodes)
            (void)engine::checkGuards(guards, node, nodes);
        const double alone = bench::millisecondsSince(start);
        std::printf("%-24s check every node %8.1f ms   bestNode %8.1f ms   each alone %9.1f ms"
                    "   (%zu fail)\n",
                    name, bench::median(every), bench::median(best), alone, failing);
    }
}
