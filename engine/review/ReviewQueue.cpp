#include "engine/review/ReviewQueue.h"

#include "engine/review/WaitsForReview.h"
#include "engine/store/RunFolder.h"
#include "engine/store/RunStore.h"
#include "engine/util/SafeRead.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace clade::engine {

std::vector<Finding> loadFindings(const std::filesystem::path& runDir, int nodeId)
{
    const auto file = RunFolder{runDir}.artifacts(nodeId) / "review.json";
    std::ifstream in(file);
    if (!in)
        return {};
    std::stringstream text;
    text << in.rdbuf();
    const auto json = nlohmann::json::parse(text.str(), nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("findings"))
        return {Finding{"policy", {}, 0, file.string() + " is damaged: its findings cannot be shown", {}}};
    try {
        return findingsFromJson(json["findings"], file.string());
    } catch (const std::exception& e) {
        return {Finding{"policy", {}, 0, e.what(), {}}};
    }
}

std::vector<HeldNode> loadReviewQueue(const std::filesystem::path& runDir)
{
    const RunFolder folder{runDir};
    folder.requireValid();
    RunStore store(folder.database(), Database::Mode::ReadOnly);
    std::vector<HeldNode> queue;
    for (auto& node : store.loadNodes()) {
        if (!waitsForReview(node))
            continue;
        HeldNode held;
        held.findings = loadFindings(runDir, node.id);
        // Waiting, and not as a proposal: its keep decision is what waits.
        held.keepHeld = node.status != NodeStatus::AwaitingApproval;
        held.node = std::move(node);
        queue.push_back(std::move(held));
    }
    return queue;
}

} // namespace clade::engine
