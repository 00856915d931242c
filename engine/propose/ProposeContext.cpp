#include "engine/propose/ProposeContext.h"

#include "engine/util/AtomicFile.h"

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

    nlohmann::json historyJson = nlohmann::json::array();
    for (const auto& node : history)
        historyJson.push_back({{"id", node.id},
                               {"parents", node.parents},
                               {"status", toString(node.status)},
                               {"flags", flagNames(node.flags)},
                               {"score", optionalScore(node)},
                               {"description", node.description}});
    writeScratchFile(folder / "history.json", historyJson.dump(1));
    if (!parentEvaluateLog.empty())
        writeScratchFile(folder / "parent_evaluate.log", parentEvaluateLog);
}

} // namespace clade::engine
