#include "bench/SyntheticRun.h"

#include "engine/git/Repository.h"
#include "engine/eval/HarnessPin.h"
#include "engine/run/RunConfig.h"
#include "engine/store/RunStore.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <random>

namespace clade::bench {
namespace {

using engine::Node;
using engine::NodeStatus;

const std::array<const char*, 12> kVerbs = {"cache", "rewrite", "simplify", "retry",
                                             "parallelise", "validate", "summarise", "inline",
                                             "split", "memoise", "guard", "log"};
const std::array<const char*, 12> kThings = {
    "the planner prompt", "tool output", "file edits",    "test runs",
    "the search step",    "error messages", "the context window", "shell calls",
    "diff application",   "the scorer call", "subagent replies", "patch review"};

std::string hexCommit(std::mt19937_64& rng)
{
    char text[41];
    std::snprintf(text, sizeof text, "%016llx%016llx%08x",
                  static_cast<unsigned long long>(rng()), static_cast<unsigned long long>(rng()),
                  static_cast<unsigned>(rng() & 0xffffffffu));
    return text;
}

} // namespace

std::vector<Node> makeSyntheticNodes(const SyntheticRunOptions& options)
{
    std::mt19937_64 rng(options.seed);
    std::uniform_real_distribution<double> unit(0, 1);
    std::normal_distribution<double> drift(-0.004, 0.03);
    std::vector<Node> nodes;
    nodes.reserve(static_cast<size_t>(options.nodes));
    std::vector<int> children(static_cast<size_t>(options.nodes), 0);
    const double start = 1.76e9;

    for (int id = 0; id < options.nodes; ++id) {
        Node n;
        n.id = id;
        int parent = -1;
        if (id > 0) {
            const Node& newest = nodes.back();
            if (unit(rng) < options.continueChain && newest.status == NodeStatus::Evaluated) {
                parent = newest.id;
            } else {
                // DGM-style choice: among 6 random earlier nodes, the best
                // score / (1 + children); failed nodes are never chosen if avoidable.
                double bestWeight = -1;
                for (int k = 0; k < 6; ++k) {
                    const int c = std::uniform_int_distribution<int>(0, id - 1)(rng);
                    const Node& cand = nodes[size_t(c)];
                    const double w = (cand.score ? 0.05 + *cand.score : 0.01) /
                                     (1.0 + children[size_t(c)]);
                    if (w > bestWeight)
                        bestWeight = w, parent = c;
                }
            }
            n.parents.push_back(parent);
            ++children[size_t(parent)];
            if (unit(rng) < options.secondaryShare)
                n.parents.push_back(std::uniform_int_distribution<int>(0, id - 1)(rng));
        }
        n.commit = hexCommit(rng);
        const double u = unit(rng);
        const bool newest = id >= options.nodes - 20;
        if (id == 0) {
            n.status = NodeStatus::Evaluated;
        } else if (newest) {
            n.status = id % 3 == 0 ? NodeStatus::Evaluating
                                   : id % 3 == 1 ? NodeStatus::AwaitingApproval
                                                 : NodeStatus::Proposed;
        } else if (u < options.failedShare) {
            n.status = NodeStatus::Failed;
            n.error = "evaluation timed out after 600 s";
        } else if (u < options.failedShare + 0.02) {
            n.status = NodeStatus::Rejected;
        } else {
            n.status = NodeStatus::Evaluated;
        }
        if (n.status == NodeStatus::Evaluated) {
            const double base = parent >= 0 ? nodes[size_t(parent)].score.value_or(0.3) : 0.3;
            n.score = std::clamp(base + drift(rng), 0.0, 1.0);
            for (int t = 0; t < options.tasksPerNode; ++t)
                n.results["task-" + std::to_string(t)] =
                    std::clamp(*n.score + drift(rng) * 3, 0.0, 1.0);
            n.metrics = {{"seconds", 20 + 40 * unit(rng)}, {"failures", double(int(4 * unit(rng)))}};
            n.stage = 1;
            if (parent >= 0 && *n.score > nodes[size_t(parent)].score.value_or(1.0))
                n.flags |= engine::FlagKept;
        }
        if (unit(rng) < 0.01)
            n.flags |= engine::FlagReverted;
        if (unit(rng) < 0.001)
            n.flags |= engine::FlagPinned;
        n.description = std::string(kVerbs[rng() % kVerbs.size()]) + " " +
                        kThings[rng() % kThings.size()] + " (try " + std::to_string(id) + ")";
        n.proposer = {id == 0 ? "root" : "llm", id == 0 ? "" : "model-a",
                      std::int64_t(2000 + rng() % 6000), std::int64_t(300 + rng() % 1500),
                      id == 0 ? 0.0 : 0.002 + 0.03 * unit(rng)};
        n.diff = {1 + int(rng() % 4), int(rng() % 60), int(rng() % 30)};
        n.createdAt = start + id * 30.0;
        n.updatedAt = n.createdAt + 25;
        n.proposeSeconds = 5 + 10 * unit(rng);
        n.evaluateSeconds = n.status == NodeStatus::Evaluated ? 20 + 20 * unit(rng) : 0;
        nodes.push_back(std::move(n));
    }
    return nodes;
}

void writeSyntheticRun(const std::filesystem::path& folder, const std::vector<Node>& nodes)
{
    namespace fs = std::filesystem;
    fs::create_directories(folder);
    // A real run.json, so the explorer and `clade status` open the run like any other.
    fs::create_directories(folder / "harness");
    std::ofstream(folder / "harness" / "score.py") << "print('{}')\n";
    engine::RunConfig config;
    config.name = "synthetic-" + std::to_string(nodes.size());
    config.createdAt = nodes.empty() ? 0 : nodes.front().createdAt;
    config.harnessSha256 = engine::hashFolder(folder / "harness");
    config.manifest.name = "synthetic";
    config.manifest.description = "generated by bench/SyntheticRun (no real agent)";
    config.manifest.evolvable = {"agent.py"};
    config.manifest.harnessDir = folder / "harness";
    config.manifest.solve.argv = {"/usr/bin/python3", "/harness/solve.py"};
    config.manifest.score.argv = {"/usr/bin/python3", "/harness/score.py"};
    config.manifest.tasks = {"t1", "t2", "t3", "t4"};
    config.settings.strategy = "sica";
    config.settings.iterations = static_cast<int>(nodes.size());
    config.save(folder);

    // The repository holds the root commit only; the other nodes' commits are not objects.
    auto repo = git::Repository::initBare(folder / "repo.git");
    const fs::path agent = folder / "root-agent";
    fs::create_directories(agent);
    std::ofstream(agent / "agent.py") << "def solve(task):\n    return task\n";
    const auto root = repo.commitDirectory(agent, {}, "root", {});
    repo.setReference("refs/clade/nodes/0", root, "synthetic root");
    fs::remove_all(agent);

    // The store creates the schema and writes every row in one transaction.
    std::vector<Node> rows = nodes;
    if (!rows.empty() && rows.front().id == 0)
        rows.front().commit = root.hex();
    engine::RunStore(folder / "clade.db").insertNodes(rows);
}

} // namespace clade::bench
