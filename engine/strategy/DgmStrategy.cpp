#include "engine/strategy/DgmStrategy.h"

#include "engine/strategy/BestNode.h"
#include "engine/strategy/Sampling.h"
#include "engine/strategy/StagedEvaluation.h"
#include "engine/util/InputError.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace clade::engine {

namespace {

bool isArchived(const ArchiveView& view, const Node& node)
{
    return isBestCandidate(view, node);
}

// The bar for a node's last stage: the second-best full score of the archive other than
// the node (the best when only one node is fully evaluated, usually the root).
double lastStageBar(const ArchiveView& view, int except)
{
    std::vector<double> full;
    for (const auto& node : view.nodes)
        if (node.id != except && isArchived(view, node) && hasEveryTask(node, view.tasks))
            full.push_back(solvedFraction(view.direction, *node.score));
    if (full.empty())
        return -INFINITY;
    std::sort(full.begin(), full.end(), std::greater<>());
    return full.size() > 1 ? full[1] : full[0];
}

[[noreturn]] void badParam(const std::string& key, const std::string& expected)
{
    throw InputError("--param " + key + ": expected " + expected);
}

} // namespace

double dgmWeight(double solved, int children)
{
    const double sigmoid = 1.0 / (1.0 + std::exp(-10.0 * (solved - 0.5)));
    return sigmoid / (1.0 + children);
}

std::map<int, double> dgmParentWeights(const ArchiveView& view)
{
    std::map<int, int> children;
    for (const auto& node : view.nodes)
        if (node.primaryParent() >= 0)
            ++children[node.primaryParent()];
    std::map<int, double> weights;
    for (const auto& node : view.nodes)
        if (isArchived(view, node))
            weights[node.id] = dgmWeight(solvedFraction(view.direction, *node.score),
                                         children[node.id]);
    return weights;
}

DgmStrategy::DgmStrategy(const nlohmann::json& params, std::uint64_t seed) : m_rng(seed)
{
    for (const auto& [key, value] : params.items()) {
        if (key == "parents_per_generation") {
            if (!value.is_number_integer() || value.get<long long>() < 1 ||
                value.get<long long>() > 1000)
                badParam(key, "an integer from 1 to 1000 (parents drawn per generation, default 2)");
            m_parentsPerGeneration = value.get<int>();
        } else if (key == "stage_tasks") {
            m_stageTasks = stageTaskCounts(key, value, "tasks per stage before the rest, default [10, 50]");
        } else if (key == "stage_threshold") {
            if (!value.is_number() || !(value.get<double>() >= 0 && value.get<double>() <= 1))
                badParam(key, "a number from 0 to 1 (fraction solved to pass a stage, default 0.4)");
            m_stageThreshold = value.get<double>();
        } else if (key == "archive") {
            if (value == "keep_all")
                m_archive = ArchiveRule::KeepAll;
            else if (value == "keep_better")
                m_archive = ArchiveRule::KeepBetter;
            else
                badParam(key, "\"keep_all\" or \"keep_better\"");
        } else if (key == "noise_margin") {
            if (!value.is_number() || !(value.get<double>() >= 0 && value.get<double>() <= 1))
                badParam(key, "a number from 0 to 1 (how far below the root's score keep_better "
                              "still keeps, default 0.1)");
            m_noiseMargin = value.get<double>();
        } else {
            throw InputError("--param " + key + ": unknown parameter of strategy dgm (expected: "
                                                "parents_per_generation, stage_tasks, "
                                                "stage_threshold, archive, noise_margin)");
        }
    }
}

nlohmann::json DgmStrategy::parameters() const
{
    return {{"parents_per_generation", m_parentsPerGeneration},
            {"stage_tasks", m_stageTasks},
            {"stage_threshold", m_stageThreshold},
            {"archive", m_archive == ArchiveRule::KeepAll ? "keep_all" : "keep_better"},
            {"noise_margin", m_noiseMargin}};
}

std::vector<std::string> DgmStrategy::nextStageTasks(const ArchiveView& view, const Node& node) const
{
    const auto ends = stageEnds(m_stageTasks, static_cast<int>(view.tasks.size()));
    // A middle stage is passed with `stage_threshold` solved; the last one by beating the
    // second-best full score.
    const auto passes = [&](const Node& n, std::size_t stagesDone) {
        const double solved = solvedFraction(view.direction, *n.score);
        return stagesDone + 1 == ends.size() ? solved > lastStageBar(view, n.id)
                                             : solved >= m_stageThreshold;
    };
    return engine::nextStageTasks(view, node, ends, passes);
}

std::optional<StrategyInsight> DgmStrategy::insight(const ArchiveView& view) const
{
    StrategyInsight insight;
    insight.strategy = name();
    addStageInsight(view, stageEnds(m_stageTasks, static_cast<int>(view.tasks.size())), insight);
    return insight;
}

Action DgmStrategy::next(const ArchiveView& view)
{
    // Children finish their stages before the generation moves on.
    for (const auto& node : view.nodes) {
        if (view.evaluating.count(node.id))
            continue;
        if (auto tasks = nextStageTasks(view, node); !tasks.empty())
            return {Action::Kind::Evaluate, node.id, std::move(tasks), "next evaluation stage"};
    }
    const bool busy = !view.evaluating.empty() || view.pendingExpansions > 0;
    if (!view.expansionsAllowed)
        return {busy ? Action::Kind::Wait : Action::Kind::Stop, -1, {}, "budget reached"};
    for (;;) {
        if (m_generation.empty()) {
            // A generation draws from the archive as the previous one left it.
            if (busy)
                return {Action::Kind::Wait, -1, {}, "waiting for the generation to finish"};
            const auto weights = dgmParentWeights(view);
            if (weights.empty())
                return {Action::Kind::Stop, -1, {}, "no archived node to expand"};
            std::vector<int> ids;
            std::vector<double> w;
            for (const auto& [id, weight] : weights) {
                ids.push_back(id);
                w.push_back(weight);
            }
            std::discrete_distribution<std::size_t> pick(w.begin(), w.end());
            for (int i = 0; i < m_parentsPerGeneration; ++i)
                m_generation.push_back(ids[pick(m_rng)]);
        }
        const int parent = m_generation.front();
        m_generation.pop_front();
        // A person may have reverted or held it since the draw.
        if (const Node* node = view.find(parent); node && isArchived(view, *node))
            return {Action::Kind::Expand, parent, {}, "parent drawn by sigmoid(score) / (1 + children)"};
    }
}

std::optional<unsigned> DgmStrategy::flagsAfterEvaluation(const ArchiveView& view, const Node& node)
{
    if (node.status != NodeStatus::Evaluated || !node.score)
        return std::nullopt;
    const unsigned flags = node.flags & ~(FlagKept | FlagReverted);
    if (!view.passesGuards(node))
        return flags | FlagReverted;
    const Node* root = view.nodes.empty() ? nullptr : &view.nodes.front();
    if (node.parents.empty() || m_archive == ArchiveRule::KeepAll || !root || !root->score)
        return flags | FlagKept;
    const double bar = solvedFraction(view.direction, *root->score) - m_noiseMargin;
    return flags | (solvedFraction(view.direction, *node.score) >= bar ? FlagKept : FlagReverted);
}

} // namespace clade::engine
