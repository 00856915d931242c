#include "engine/strategy/IslandsStrategy.h"

#include "engine/strategy/StagedEvaluation.h"
#include "engine/util/InputError.h"

#include <algorithm>
#include <cmath>

namespace clade::engine {

namespace {

int positiveInt(const std::string& key, const nlohmann::json& value, const std::string& meaning)
{
    if (!value.is_number_integer() || value.get<long long>() < 1 || value.get<long long>() > 1000)
        throw InputError("--param " + key + ": expected an integer 1..1000 (" + meaning + ")");
    return value.get<int>();
}

double fraction(const std::string& key, const nlohmann::json& value, const std::string& meaning)
{
    if (!value.is_number() || !(value.get<double>() >= 0) || value.get<double>() > 1)
        throw InputError("--param " + key + ": expected a number in [0, 1] (" + meaning + ")");
    return value.get<double>();
}

std::vector<double> thresholds(const std::string& key, const nlohmann::json& value)
{
    const bool ok = value.is_array() && std::all_of(value.begin(), value.end(), [](const auto& v) {
                        return v.is_number() && std::isfinite(v.template get<double>());
                    });
    if (!ok)
        throw InputError("--param " + key + ": expected an array of numbers (the primary metric a "
                         "child must reach over each cascade stage's tasks to go on, one per stage)");
    return value.get<std::vector<double>>();
}

int nextChildId(const ArchiveView& view)
{
    // The engine numbers children in dispatch order, after every node it has and every
    // proposal in flight: this is the id the child of this expansion will get.
    return (view.nodes.empty() ? 0 : view.nodes.back().id) + view.pendingExpansions + 1;
}

const char* pickName(ParentPick pick)
{
    switch (pick) {
    case ParentPick::Exploration: return "exploration";
    case ParentPick::Exploitation: return "exploitation";
    case ParentPick::Random: return "random";
    }
    return "";
}

} // namespace

IslandsStrategy::IslandsStrategy(const nlohmann::json& params, std::uint64_t seed) : m_seed(seed)
{
    for (const auto& [key, value] : params.items()) {
        if (key == "islands")
            m_settings.islands = positiveInt(key, value, "number of islands, default 5");
        else if (key == "features")
            m_settings.features = parseFeatures(value);
        else if (key == "migration_interval")
            m_settings.migrationInterval =
                positiveInt(key, value, "generations between migrations, default 3");
        else if (key == "migration_rate")
            m_settings.migrationRate =
                fraction(key, value, "share of an island's elites that migrate, default 0.1");
        else if (key == "exploration")
            m_ratios.exploration = fraction(key, value, "probability of a uniform elite, default 0.2");
        else if (key == "exploitation")
            m_ratios.exploitation = fraction(key, value, "probability of the best elite, default 0.7");
        else if (key == "random")
            m_ratios.random = fraction(key, value, "probability of any node, default 0.1");
        else if (key == "cascade_tasks")
            m_cascadeTasks = stageTaskCounts(key, value, "tasks in each cascade stage before the "
                                                         "rest, e.g. [2, 4]; default [], no cascade");
        else if (key == "cascade_thresholds")
            m_cascadeThresholds = thresholds(key, value);
        else
            throw InputError("--param " + key + ": unknown parameter of strategy islands (expected: "
                             "islands, features, migration_interval, migration_rate, exploration, "
                             "exploitation, random, cascade_tasks, cascade_thresholds)");
    }
    if (m_cascadeTasks.size() != m_cascadeThresholds.size())
        throw InputError("--param cascade_tasks, cascade_thresholds: expected one threshold per "
                         "stage (" + std::to_string(m_cascadeTasks.size()) + " stage(s), " +
                         std::to_string(m_cascadeThresholds.size()) + " threshold(s))");
    const double sum = m_ratios.exploration + m_ratios.exploitation + m_ratios.random;
    if (std::abs(sum - 1) > 1e-9)
        throw InputError("--param exploration, exploitation, random: expected probabilities that "
                         "sum to 1 (they sum to " + std::to_string(sum) + ")");
}

nlohmann::json IslandsStrategy::parameters() const
{
    return {{"islands", m_settings.islands},
            {"features", toJson(m_settings.features)},
            {"migration_interval", m_settings.migrationInterval},
            {"migration_rate", m_settings.migrationRate},
            {"exploration", m_ratios.exploration},
            {"exploitation", m_ratios.exploitation},
            {"random", m_ratios.random},
            {"cascade_tasks", m_cascadeTasks},
            {"cascade_thresholds", m_cascadeThresholds}};
}

std::optional<Action> IslandsStrategy::nextEvaluation(const ArchiveView& view) const
{
    if (m_cascadeTasks.empty())
        return evaluateOldestProposed(view, "evaluate new child");
    const auto ends = stageEnds(m_cascadeTasks, static_cast<int>(view.tasks.size()));
    // OpenEvolve's cascade: a child goes on to the next stage only if its mean over the
    // tasks so far reaches the stage's threshold (at most it, for a minimized metric).
    const auto passes = [&](const Node& node, std::size_t stagesDone) {
        return view.oriented(*node.score) >= view.oriented(m_cascadeThresholds[stagesDone - 1]);
    };
    for (const auto& node : view.nodes) {
        if (view.evaluating.count(node.id))
            continue;
        if (auto tasks = nextStageTasks(view, node, ends, passes); !tasks.empty()) {
            const int done = static_cast<int>(view.tasks.size() - missingTasks(node, view.tasks).size());
            const long stage = std::upper_bound(ends.begin(), ends.end(), done) - ends.begin() + 1;
            return Action{Action::Kind::Evaluate, node.id, std::move(tasks),
                          "cascade stage " + std::to_string(std::min<long>(stage, static_cast<long>(ends.size()))) +
                              " of " + std::to_string(ends.size())};
        }
    }
    return std::nullopt;
}

Action IslandsStrategy::next(const ArchiveView& view)
{
    if (auto evaluate = nextEvaluation(view))
        return *evaluate;
    const bool busy = !view.evaluating.empty() || view.pendingExpansions > 0;
    bool anyExpandable = false;
    for (const auto& node : view.nodes)
        anyExpandable = anyExpandable || isExpandable(view, node);
    if (!anyExpandable)
        return busy ? Action{Action::Kind::Wait, -1, {}, "waiting for the root's evaluation"}
                    : Action{Action::Kind::Stop, -1, {}, "no node could be evaluated"};
    if (!view.expansionsAllowed)
        return {busy ? Action::Kind::Wait : Action::Kind::Stop, -1, {}, "budget reached"};

    const int childId = nextChildId(view);
    const int island = islandOf(childId, m_settings.islands);
    const IslandArchive archive = IslandArchive::build(view, m_settings, childId);
    std::seed_seq seq{static_cast<std::uint32_t>(m_seed), static_cast<std::uint32_t>(m_seed >> 32),
                      static_cast<std::uint32_t>(childId)};
    std::mt19937_64 rng(seq);
    const auto choice = sampleParent(view, archive, island, m_ratios, rng);
    if (!choice) // unreachable: an expandable node exists
        return {Action::Kind::Stop, -1, {}, "no node could be expanded"};
    return {Action::Kind::Expand, choice->node, {},
            "island " + std::to_string(island) + ": " + pickName(choice->pick)};
}

std::optional<StrategyInsight> IslandsStrategy::insight(const ArchiveView& view) const
{
    StrategyInsight insight;
    insight.strategy = name();
    const IslandArchive archive = IslandArchive::build(view, m_settings, nextChildId(view));
    for (const auto& node : view.nodes) {
        NodeInsight& entry = insight.nodes[node.id];
        entry.island = islandOf(node.id, m_settings.islands);
        if (isExpandable(view, node))
            entry.cell = cellOf(node, m_settings.features);
    }
    EliteGrids elites{m_settings.features, archive.grids, {}};
    for (std::size_t island = 0; island < archive.grids.size(); ++island)
        for (const auto& [cell, id] : archive.grids[island]) {
            insight.nodes[id].eliteOf.push_back(static_cast<int>(island));
            elites.scores[id] = *view.find(id)->score; // elites are scored (isExpandable)
        }
    insight.elites = std::move(elites);
    if (!m_cascadeTasks.empty())
        addStageInsight(view, stageEnds(m_cascadeTasks, static_cast<int>(view.tasks.size())), insight);
    return insight;
}

std::optional<unsigned> IslandsStrategy::flagsAfterEvaluation(const ArchiveView& view, const Node& node)
{
    if (!isExpandable(view, node))
        return std::nullopt;
    const int next = view.nodes.empty() ? 0 : view.nodes.back().id + 1;
    const IslandArchive archive = IslandArchive::build(view, m_settings, next);
    const int cell = cellOf(node, m_settings.features);
    for (const auto& grid : archive.grids)
        if (const auto it = grid.find(cell); it != grid.end() && it->second == node.id)
            return node.flags | FlagKept;
    return std::nullopt;
}

} // namespace clade::engine
