// The built-in strategies compared at an equal budget of per-task evaluations, through the
// real engine: on the binpack example, and on a synthetic landscape (bench/landscape)
// whose early scores are deceptive. See BENCHMARKS.md.

#include "bench/BenchStats.h"
#include "bench/StrategyRun.h"

#include "engine/util/ScratchSpace.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using namespace clade::bench;

namespace {

struct Suite {
    std::string name;
    fs::path agent;
    int budget = 0;
    int seeds = 0;
    bool landscape = false; ///< its score phase reports a true quality
};

void printHelp()
{
    std::puts(
        "Usage: bench_strategies [--suite binpack|landscape|all] [--strategies a,b,...]\n"
        "                        [--seeds N] [--first-seed S] [--binpack-budget N]\n"
        "                        [--landscape-budget N] [--workers K] [--sandbox NAME]\n\n"
        "Runs each strategy through the engine (sandboxed propose, solve and score) with the\n"
        "same budget of per-task evaluations (RunSettings::maxTaskEvaluations), one run per\n"
        "seed, and reports per run: the best score among nodes evaluated on every task\n"
        "within the budget, the task evaluations spent when that node's last result landed,\n"
        "and the wall time. On the landscape it also reports the true quality of that node\n"
        "and the best true quality among fully evaluated nodes. Run folders go to the temp\n"
        "folder ($TMPDIR, else /tmp) and are removed.\n\n"
        "  --suite S              binpack, landscape or all (default all)\n"
        "  --strategies LIST      comma-separated (default sica,adas,dgm,hgm,islands)\n"
        "  --seeds N              seeds per strategy (default 3 on binpack, 5 on the landscape)\n"
        "  --first-seed S         first seed (default 1)\n"
        "  --binpack-budget N     task evaluations per run (default 240 = 8 tasks x 30)\n"
        "  --landscape-budget N   task evaluations per run (default 480 = 16 tasks x 30)\n"
        "  --workers K            engine worker threads (default 1)\n"
        "  --sandbox NAME         bwrap (default) or unsafe-rlimits\n"
        "  --help                 this text\n\n"
        "Prints a table per suite, then one JSON line.");
}

std::vector<std::string> splitList(const std::string& text)
{
    std::vector<std::string> items;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty())
            items.push_back(item);
    return items;
}

nlohmann::json toJson(const StrategyRunResult& r)
{
    const auto best = r.best();
    nlohmann::json j{{"strategy", r.spec.strategy},
                     {"seed", r.spec.seed},
                     {"best_score", best ? nlohmann::json(best->score) : nullptr},
                     {"best_node", best ? best->node : -1},
                     {"evaluations_to_best", best ? best->evaluations : -1},
                     {"fully_evaluated", r.completions.size()},
                     {"children", r.children},
                     {"evaluations_spent", r.evaluationsSpent},
                     {"wall_seconds", r.wallSeconds}};
    if (best && best->quality >= 0) {
        j["quality_of_best"] = best->quality;
        j["best_is_climber"] = best->climber;
        j["generation_of_best"] = best->generation;
        j["best_quality"] = r.bestQuality();
        j["climber_nodes"] = r.climberNodes;
        j["deepest_climber"] = r.deepestClimber;
    }
    return j;
}

void printSuite(const Suite& suite, const std::vector<std::string>& strategies,
                const std::vector<StrategyRunResult>& runs, int workers)
{
    std::printf("\n%s: %d task evaluations per run, %d worker(s), %d seed(s)\n\n",
                suite.name.c_str(), suite.budget, workers, suite.seeds);
    if (suite.landscape)
        std::puts("| Strategy | Seed | Best score | Node | Evals to reach | Quality of best | "
                  "Family, generation | Best quality (full) | Climbers (deepest) | Full / children | "
                  "Wall s |\n|---|---|---|---|---|---|---|---|---|---|---|");
    else
        std::puts("| Strategy | Seed | Best score | Node | Evals to reach | Full / children | "
                  "Wall s |\n|---|---|---|---|---|---|---|");
    for (const auto& strategy : strategies) {
        std::vector<double> scores, evals, walls, qualities, bestQualities;
        int climbers = 0;
        for (const auto& r : runs) {
            if (r.spec.strategy != strategy)
                continue;
            const auto best = r.best();
            if (!best)
                continue;
            scores.push_back(best->score);
            evals.push_back(best->evaluations);
            walls.push_back(r.wallSeconds);
            const std::string common =
                "| " + strategy + " | " + std::to_string(r.spec.seed) + " | " +
                fixed(best->score, 4) + " | #" + std::to_string(best->node) + " | " +
                std::to_string(best->evaluations) + " | ";
            const std::string tail = std::to_string(r.completions.size()) + " / " +
                                     std::to_string(r.children) + " | " +
                                     fixed(r.wallSeconds, 1) + " |";
            if (suite.landscape) {
                qualities.push_back(best->quality);
                bestQualities.push_back(r.bestQuality());
                climbers += best->climber;
                const std::string family =
                    best->node == 0 ? "root" : (best->climber ? "climber " : "bait ") +
                                                   std::to_string(best->generation);
                std::printf("%s%s | %s | %s | %d (%d) | %s\n", common.c_str(),
                            fixed(best->quality, 3).c_str(), family.c_str(),
                            fixed(r.bestQuality(), 3).c_str(), r.climberNodes, r.deepestClimber,
                            tail.c_str());
            } else {
                std::printf("%s%s\n", common.c_str(), tail.c_str());
            }
        }
        if (scores.empty())
            continue;
        if (suite.landscape)
            std::printf("| **%s median** | | **%s** | | %s | **%s** | climber %d/%zu | %s | | | %s |\n",
                        strategy.c_str(), fixed(median(scores), 4).c_str(),
                        fixed(median(evals), 0).c_str(), fixed(median(qualities), 3).c_str(),
                        climbers, scores.size(), fixed(median(bestQualities), 3).c_str(),
                        fixed(median(walls), 1).c_str());
        else
            std::printf("| **%s median** | | **%s** | | %s | | %s |\n", strategy.c_str(),
                        fixed(median(scores), 4).c_str(), fixed(median(evals), 0).c_str(),
                        fixed(median(walls), 1).c_str());
    }
}

int runBenchmarks(int argc, char** argv)
{
    const std::string which = stringOption(argc, argv, "--suite", "all");
    const auto strategies =
        splitList(stringOption(argc, argv, "--strategies", "sica,adas,dgm,hgm,islands"));
    const int seedsOverride = intOption(argc, argv, "--seeds", 0);
    const int firstSeed = intOption(argc, argv, "--first-seed", 1);
    const int workers = intOption(argc, argv, "--workers", 1);
    const std::string sandbox = stringOption(argc, argv, "--sandbox", "bwrap");
    const fs::path source = CLADE_SOURCE_DIR;

    std::vector<Suite> suites;
    if (which == "binpack" || which == "all")
        suites.push_back({"binpack", source / "examples" / "binpack",
                          intOption(argc, argv, "--binpack-budget", 240), 3, false});
    if (which == "landscape" || which == "all")
        suites.push_back({"landscape", source / "bench" / "landscape",
                          intOption(argc, argv, "--landscape-budget", 480), 5, true});
    if (suites.empty() || strategies.empty()) {
        std::fputs("--suite: expected binpack, landscape or all; --strategies: a list\n", stderr);
        return 2;
    }
    std::string pattern = (fs::temp_directory_path() / "clade-bench-strategies-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) {
        std::perror("mkdtemp");
        return 1;
    }
    const fs::path work = pattern;

    nlohmann::json summary{{"bench", "strategies"}, {"workers", workers}, {"sandbox", sandbox},
                           {"suites", nlohmann::json::array()}};
    int status = 0;
    for (auto& suite : suites) {
        if (seedsOverride > 0)
            suite.seeds = seedsOverride;
        std::vector<StrategyRunResult> runs;
        nlohmann::json suiteJson{{"suite", suite.name}, {"budget", suite.budget},
                                 {"runs", nlohmann::json::array()}};
        try {
            // Seeds outermost, so the machine's changing load spreads over every strategy.
            for (int seed = firstSeed; seed < firstSeed + suite.seeds; ++seed)
                for (const auto& strategy : strategies) {
                    runs.push_back(runStrategy({suite.agent, strategy, static_cast<std::uint64_t>(seed),
                                                suite.budget, workers, sandbox},
                                               work));
                    const auto& r = runs.back();
                    const auto best = r.best();
                    std::fprintf(stderr, "%s %s seed %d: best %s after %d evals, %.1f s (%s)\n",
                                 suite.name.c_str(), strategy.c_str(), seed,
                                 best ? fixed(best->score, 4).c_str() : "-",
                                 best ? best->evaluations : -1, r.wallSeconds, r.outcome.c_str());
                    suiteJson["runs"].push_back(toJson(r));
                }
        } catch (const std::exception& e) {
            std::fprintf(stderr, "bench_strategies: %s\n", e.what());
            status = 1;
        }
        printSuite(suite, strategies, runs, workers);
        summary["suites"].push_back(suiteJson);
    }
    clade::engine::removeTree(work);
    std::printf("\n%s\n", summary.dump().c_str());
    return status;
}

} // namespace

int main(int argc, char** argv)
{
    if (hasFlag(argc, argv, "--help")) {
        printHelp();
        return 0;
    }
    rejectUnknown(argc, argv, {"--help"},
                  {"--suite", "--strategies", "--seeds", "--first-seed", "--binpack-budget",
                   "--landscape-budget", "--workers", "--sandbox"});
    spdlog::set_level(spdlog::level::warn); // the engine's per-run notes would bury the tables
    try {
        return runBenchmarks(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_strategies: %s\n", e.what());
        return 1;
    }
}
