#include "engine/strategy/IslandArchive.h"

#include "engine/strategy/BestNode.h"

#include <algorithm>
#include <cmath>

namespace clade::engine {

namespace {

double uniform01(std::mt19937_64& rng)
{
    return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

size_t uniformIndex(std::mt19937_64& rng, size_t count)
{
    return static_cast<size_t>(rng() % count); // bias below count / 2^64: negligible
}

} // namespace

bool isExpandable(const ArchiveView& view, const Node& node)
{
    // Scored on every task: a child the cascade stopped has a mean over its first stage
    // only, which no elite's mean over every task may be compared with.
    return isBestCandidate(view, node) && hasEveryTask(node, view.tasks);
}

int islandOf(int id, int islands)
{
    return id <= 0 ? -1 : (id - 1) % islands;
}

IslandArchive IslandArchive::build(const ArchiveView& view, const IslandSettings& settings, int nextId)
{
    IslandArchive archive;
    archive.grids.resize(static_cast<size_t>(settings.islands));
    const long long period = static_cast<long long>(settings.islands) * settings.migrationInterval;
    long long migrations = 0;
    const auto migrateBefore = [&](int id) {
        while ((migrations + 1) * period < id) {
            archive.migrate(view, settings);
            ++migrations;
        }
    };
    for (const auto& node : view.nodes) {
        migrateBefore(node.id);
        if (!isExpandable(view, node))
            continue;
        const int cell = cellOf(node, settings.features);
        const int island = islandOf(node.id, settings.islands);
        if (island < 0)
            for (int i = 0; i < settings.islands; ++i)
                archive.offer(view, i, cell, node);
        else
            archive.offer(view, island, cell, node);
    }
    migrateBefore(nextId);
    return archive;
}

bool IslandArchive::offer(const ArchiveView& view, int island, int cell, const Node& candidate)
{
    auto& grid = grids[static_cast<size_t>(island)];
    const auto it = grid.find(cell);
    if (it != grid.end()) {
        const Node* incumbent = view.find(it->second);
        if (incumbent && incumbent->score &&
            !(view.oriented(*candidate.score) > view.oriented(*incumbent->score)))
            return false;
    }
    grid[cell] = candidate.id;
    return true;
}

void IslandArchive::migrate(const ArchiveView& view, const IslandSettings& settings)
{
    struct Migrant {
        int to;
        int cell;
        const Node* node;
    };
    std::vector<Migrant> migrants;
    for (int i = 0; i < settings.islands; ++i) {
        std::vector<std::pair<int, const Node*>> own; // (cell, node)
        for (const auto& [cell, id] : grids[static_cast<size_t>(i)])
            if (islandOf(id, settings.islands) == i)
                own.emplace_back(cell, view.find(id));
        std::sort(own.begin(), own.end(), [&](const auto& a, const auto& b) {
            const double sa = view.oriented(*a.second->score);
            const double sb = view.oriented(*b.second->score);
            return sa != sb ? sa > sb : a.second->id < b.second->id;
        });
        const auto count = static_cast<size_t>(
            std::ceil(settings.migrationRate * static_cast<double>(own.size())));
        for (size_t k = 0; k < std::min(count, own.size()); ++k)
            migrants.push_back({(i + 1) % settings.islands, own[k].first, own[k].second});
    }
    for (const auto& m : migrants)
        offer(view, m.to, m.cell, *m.node);
}

std::optional<int> IslandArchive::bestElite(const ArchiveView& view, int island) const
{
    std::optional<int> best;
    double bestScore = 0;
    for (const auto& [cell, id] : grids[static_cast<size_t>(island)]) {
        const double score = view.oriented(*view.find(id)->score);
        if (!best || score > bestScore || (score == bestScore && id < *best)) {
            best = id;
            bestScore = score;
        }
    }
    return best;
}

std::optional<ParentChoice> sampleParent(const ArchiveView& view, const IslandArchive& archive,
                                         int island, const SamplingRatios& ratios,
                                         std::mt19937_64& rng)
{
    const auto& grid = archive.grids[static_cast<size_t>(island)];
    const double draw = uniform01(rng);
    if (!grid.empty() && draw < ratios.exploration) {
        auto it = grid.begin();
        std::advance(it, static_cast<long>(uniformIndex(rng, grid.size())));
        return ParentChoice{it->second, ParentPick::Exploration};
    }
    if (!grid.empty() && draw < ratios.exploration + ratios.exploitation)
        return ParentChoice{*archive.bestElite(view, island), ParentPick::Exploitation};
    std::vector<int> all;
    for (const auto& node : view.nodes)
        if (isExpandable(view, node))
            all.push_back(node.id);
    if (all.empty())
        return std::nullopt;
    return ParentChoice{all[uniformIndex(rng, all.size())], ParentPick::Random};
}

} // namespace clade::engine
