#include "engine/executor/PlacementRecord.h"

#include <algorithm>

namespace clade::engine {

using nlohmann::json;

namespace {

std::string text(const json& j, const char* key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace

json placementJson(const PlacedPhase& placed)
{
    const PhasePlacement& w = placed.where;
    json lost = json::array();
    for (const auto& a : w.lost)
        lost.push_back({{"job", a.jobId}, {"host", a.host}, {"why", a.why}});
    return {{"phase", placed.phase}, {"executor", w.executor},  {"job", w.jobId},
            {"step", w.stepId},      {"host", w.host},          {"queue_seconds", w.queueSeconds},
            {"lost", lost}};
}

PlacedPhase placementFromJson(const json& payload)
{
    PlacedPhase placed;
    if (!payload.is_object())
        return placed;
    placed.phase = text(payload, "phase");
    PhasePlacement& w = placed.where;
    w.executor = text(payload, "executor");
    w.jobId = text(payload, "job");
    w.stepId = text(payload, "step");
    w.host = text(payload, "host");
    if (const auto q = payload.find("queue_seconds"); q != payload.end() && q->is_number())
        w.queueSeconds = q->get<double>();
    if (const auto lost = payload.find("lost"); lost != payload.end() && lost->is_array())
        for (const auto& a : *lost)
            if (a.is_object())
                w.lost.push_back({text(a, "job"), text(a, "host"), text(a, "why")});
    return placed;
}

ClusterActivity summarizePlacements(const std::vector<RunEvent>& events)
{
    ClusterActivity activity;
    std::vector<double> waits;
    for (const RunEvent& event : events) {
        if (event.kind != EventKind::PhasePlaced)
            continue;
        PlacedPhase placed = placementFromJson(event.payload);
        ++activity.phases;
        activity.lostAttempts += static_cast<int>(placed.where.lost.size());
        waits.push_back(placed.where.queueSeconds);
        activity.byNode[event.nodeId].push_back(std::move(placed));
    }
    if (!waits.empty()) {
        std::sort(waits.begin(), waits.end());
        const size_t n = waits.size();
        activity.medianQueueSeconds = n % 2 ? waits[n / 2] : (waits[n / 2 - 1] + waits[n / 2]) / 2;
        activity.maxQueueSeconds = waits.back();
    }
    return activity;
}

} // namespace clade::engine
