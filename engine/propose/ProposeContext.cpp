#include "engine/propose/ProposeContext.h"

#include "engine/util/AtomicFile.h"

#include <map>

#include <nlohmann/json.hpp>

namespace clade::engine {

namespace {

nlohmann::json optionalScore(const Node& node)
{
    return node.score ? nlohmann::json(*node.score) : nlohmann::json(nullptr);
}

} // namespace

void writeProposeContext(const std::filesystem::path& folder, const Node& parent,
                         const std::vector<Node>& history, const std::string& parentEvaluateLog)
{
    std::filesystem::create_directories(folder);
    const nlohmann::json parentJson{{"id", parent.id},
                                    {"score", optionalScore(parent)},
                                    {"results", parent.results},
                                    {"metrics", parent.metrics},
                                    {"description", parent.description}};
    writeScratchFile(folder / "parent.json", parentJson.dump(2));

    // The generation (steps from the root along primary parents) and the metrics let an
    // archive-conditioned proposer (ADAS's meta agent, MAP-Elites prompts) see each entry
    // as ADAS's archive does: what it is, its fitness, when it came.
    std::map<int, int> generations;
    nlohmann::json historyJson = nlohmann::json::array();
    for (const auto& node : history) {
        const auto parentGeneration = generations.find(node.primaryParent());
        const int generation =
            parentGeneration == generations.end() ? 0 : parentGeneration->second + 1;
        generations[node.id] = generation;
        historyJson.push_back({{"id", node.id},
                               {"parents", node.parents},
                               {"generation", generation},
                               {"status", toString(node.status)},
                               {"flags", flagNames(node.flags)},
                               {"score", optionalScore(node)},
                               {"metrics", node.metrics},
                               {"description", node.description}});
    }
    writeScratchFile(folder / "history.json", historyJson.dump(1));
    if (!parentEvaluateLog.empty())
        writeScratchFile(folder / "parent_evaluate.log", parentEvaluateLog);
}

} // namespace clade::engine
