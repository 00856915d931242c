#include "engine/strategy/IslandsStrategy.h"

#include "engine/util/InputError.h"

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
        else
            throw InputError("--param " + key + ": unknown parameter of strategy islands (expected: "
                             "islands, features, migration_interval, migration_rate, exploration, "
                             "exploitation, random)");
    }
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
            {"random", m_ratios.random}};
}

Action IslandsStrategy::next(const ArchiveView& view)
{
    if (auto evaluate = evaluateOldestProposed(view, "evaluate new child"))
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
