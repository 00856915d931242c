#include "models/ClusterEvents.h"

#include "engine/store/RunStore.h"

#include <algorithm>

namespace clade::models {

CancelledJobs cancelledJobsFromEvent(const engine::RunEvent& event)
{
    CancelledJobs cancelled;
    cancelled.time = event.time;
    const nlohmann::json& payload = event.payload;
    if (!payload.is_object())
        return cancelled;
    if (const auto jobs = payload.find("jobs"); jobs != payload.end() && jobs->is_array())
        for (const auto& job : *jobs) {
            if (job.is_string())
                cancelled.jobIds.push_back(job.get<std::string>());
            else if (job.is_number_integer())
                cancelled.jobIds.push_back(std::to_string(job.get<long long>()));
        }
    if (const auto why = payload.find("why"); why != payload.end() && why->is_string())
        cancelled.why = why->get<std::string>();
    return cancelled;
}

void ClusterEvents::readAll(engine::RunStore& store)
{
    m_placed = store.eventsOfKind(engine::EventKind::PhasePlaced);
    m_cancelled.clear();
    for (const auto& event : store.eventsOfKind(engine::EventKind::JobsCancelled))
        m_cancelled.push_back(cancelledJobsFromEvent(event));
}

bool ClusterEvents::readAfter(engine::RunStore& store, std::int64_t afterSeq, std::int64_t upToSeq)
{
    bool any = false;
    std::int64_t seq = afterSeq;
    while (seq < upToSeq) {
        const auto events = store.eventsAfter(seq);
        if (events.empty())
            break;
        for (const auto& event : events) {
            if (event.seq > upToSeq)
                return any; // the next batch reads it, with its nodes
            any = take(event) || any;
            seq = event.seq;
        }
    }
    return any;
}

bool ClusterEvents::take(const engine::RunEvent& event)
{
    if (event.kind == engine::EventKind::PhasePlaced) {
        m_placed.push_back(event);
        return true;
    }
    if (event.kind == engine::EventKind::JobsCancelled) {
        m_cancelled.push_back(cancelledJobsFromEvent(event));
        return true;
    }
    return false;
}

void ClusterEvents::rollBack(Mark mark)
{
    m_placed.resize(std::min(m_placed.size(), mark.placed));
    m_cancelled.resize(std::min(m_cancelled.size(), mark.cancelled));
}

ClusterFacts ClusterEvents::facts() const
{
    ClusterFacts facts;
    facts.activity = engine::summarizePlacements(m_placed);
    facts.activity.byNode.clear();
    facts.cancelled = m_cancelled;
    return facts;
}

std::vector<engine::PlacedPhase> ClusterEvents::placementsOf(int nodeId) const
{
    std::vector<engine::PlacedPhase> placements;
    for (const auto& event : m_placed)
        if (event.nodeId == nodeId)
            placements.push_back(engine::placementFromJson(event.payload));
    return placements;
}

} // namespace clade::models
