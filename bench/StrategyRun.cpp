#include "bench/StrategyRun.h"

#include "bench/BenchStats.h"

#include "engine/run/RunCreator.h"
#include "engine/run/RunEngine.h"
#include "engine/util/ScratchSpace.h"

#include <set>
#include <stdexcept>

namespace clade::bench {

namespace fs = std::filesystem;
using namespace clade::engine;

std::optional<Completion> StrategyRunResult::best() const
{
    std::optional<Completion> best;
    for (const auto& c : completions)
        if (c.evaluations <= spec.taskEvaluations && (!best || c.score > best->score))
            best = c;
    return best;
}

double StrategyRunResult::bestQuality() const
{
    double best = -1;
    for (const auto& c : completions)
        if (c.evaluations <= spec.taskEvaluations)
            best = std::max(best, c.quality);
    return best;
}

StrategyRunResult runStrategy(const StrategyRunSpec& spec, const fs::path& workDir)
{
    StrategyRunResult result;
    result.spec = spec;
    RunSettings settings;
    settings.strategy = spec.strategy;
    settings.seed = spec.seed;
    settings.workers = spec.workers;
    settings.sandbox = spec.sandbox;
    // The budget in task evaluations is what ends every run; the children budget must not.
    settings.iterations = 1000000;
    settings.maxTaskEvaluations = spec.taskEvaluations;

    const auto start = Clock::now();
    const fs::path run = createRun(spec.agent, workDir / (spec.strategy + "-" + std::to_string(spec.seed)),
                                   settings);
    {
        RunEngine engine(run);
        const std::size_t taskCount = engine.config().manifest.tasks.size();
        std::set<int> complete;
        // Listeners run on the coordinator's thread, right after it applied a job's result
        // (results are applied in dispatch order, one at a time), so the archive read here
        // is the one the strategy sees, and the count is the same for any timing.
        engine.addListener([&](const RunEvent& event, const RunProgress&) {
            if (event.nodeId < 0 || complete.count(event.nodeId))
                return;
            int spent = 0;
            const Node* node = nullptr;
            for (const auto& n : engine.nodes()) {
                spent += static_cast<int>(n.results.size());
                if (n.id == event.nodeId)
                    node = &n;
            }
            if (!node || node->status != NodeStatus::Evaluated || !node->score ||
                node->results.size() < taskCount)
                return;
            complete.insert(node->id);
            Completion c;
            c.node = node->id;
            c.score = *node->score;
            c.evaluations = spent;
            if (const auto it = node->metrics.find("quality"); it != node->metrics.end())
                c.quality = it->second;
            if (const auto it = node->metrics.find("climber"); it != node->metrics.end())
                c.climber = it->second > 0.5;
            if (const auto it = node->metrics.find("generation"); it != node->metrics.end())
                c.generation = static_cast<int>(it->second);
            result.completions.push_back(c);
        });
        const RunOutcome outcome = engine.run();
        result.outcome = outcome.message;
        if (outcome.status != RunOutcome::Status::Finished)
            throw std::runtime_error(spec.strategy + " seed " + std::to_string(spec.seed) +
                                     ": the run did not finish: " + outcome.message);
        for (const auto& n : engine.nodes()) {
            result.evaluationsSpent += static_cast<int>(n.results.size());
            if (const auto it = n.metrics.find("climber"); it != n.metrics.end() && it->second > 0.5) {
                ++result.climberNodes;
                result.deepestClimber =
                    std::max(result.deepestClimber, static_cast<int>(n.metrics.at("generation")));
            }
        }
        result.children = static_cast<int>(engine.nodes().size()) - 1;
    }
    result.wallSeconds = millisecondsSince(start) / 1000.0;
    removeTree(run);
    return result;
}

} // namespace clade::bench
