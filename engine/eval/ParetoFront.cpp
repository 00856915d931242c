#include "engine/eval/ParetoFront.h"

#include "engine/eval/EngineMetrics.h"

#include <algorithm>

namespace clade::engine {

std::optional<double> objectiveValue(const Node& node, const Objective& objective)
{
    return objective.primary ? node.score : metricValue(node, objective.name);
}

std::vector<Objective> runObjectives(const Manifest& manifest)
{
    std::vector<Objective> objectives{{manifest.primaryMetric, manifest.direction, true}};
    for (const GuardMetric& guard : manifest.guards)
        objectives.push_back({guard.name, guard.direction, false});
    return objectives;
}

std::vector<int> paretoFront(const std::vector<Node>& nodes, const std::vector<Objective>& objectives)
{
    struct Point {
        int id;
        std::vector<double> values; // oriented: higher is better on every axis
    };
    std::vector<Point> points;
    for (const Node& node : nodes) {
        if (node.status != NodeStatus::Evaluated)
            continue;
        Point point{node.id, {}};
        for (const Objective& objective : objectives) {
            const auto value = objectiveValue(node, objective);
            if (!value)
                break;
            point.values.push_back(objective.direction == Direction::Maximize ? *value : -*value);
        }
        if (point.values.size() == objectives.size())
            points.push_back(std::move(point));
    }
    // In descending lexicographic order a node's dominators all come before it, and one
    // dominated by an earlier node off the front is dominated by a node on it: comparing
    // with the front so far is enough.
    std::sort(points.begin(), points.end(), [](const Point& a, const Point& b) {
        return a.values != b.values ? a.values > b.values : a.id < b.id;
    });
    const auto dominates = [](const Point& a, const Point& b) {
        bool strictly = false;
        for (std::size_t i = 0; i < a.values.size(); ++i) {
            if (a.values[i] < b.values[i])
                return false;
            strictly = strictly || a.values[i] > b.values[i];
        }
        return strictly;
    };
    std::vector<const Point*> front;
    for (const Point& point : points)
        if (std::none_of(front.begin(), front.end(), [&](const Point* f) { return dominates(*f, point); }))
            front.push_back(&point);
    std::vector<int> ids;
    for (const Point* point : front)
        ids.push_back(point->id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

} // namespace clade::engine
