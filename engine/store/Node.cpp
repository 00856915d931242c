#include "engine/store/Node.h"
#include "engine/store/FindNode.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

namespace clade::engine {
namespace {

constexpr std::array<std::pair<NodeStatus, const char*>, 6> kStatusNames{{
    {NodeStatus::Proposed, "proposed"},
    {NodeStatus::AwaitingApproval, "awaiting_approval"},
    {NodeStatus::Evaluating, "evaluating"},
    {NodeStatus::Evaluated, "evaluated"},
    {NodeStatus::Failed, "failed"},
    {NodeStatus::Rejected, "rejected"},
}};

} // namespace

std::string toString(NodeStatus status)
{
    for (const auto& [value, name] : kStatusNames)
        if (value == status)
            return name;
    return "unknown";
}

NodeStatus nodeStatusFromString(const std::string& name)
{
    for (const auto& [value, text] : kStatusNames)
        if (name == text)
            return value;
    throw std::invalid_argument("unknown node status '" + name + "'");
}

std::vector<std::string> flagNames(unsigned flags)
{
    std::vector<std::string> names;
    if (flags & FlagKept)
        names.emplace_back("kept");
    if (flags & FlagReverted)
        names.emplace_back("reverted");
    if (flags & FlagPinned)
        names.emplace_back("pinned");
    if (flags & FlagArchived)
        names.emplace_back("archived");
    if (flags & FlagHeld)
        names.emplace_back("held");
    if (flags & FlagStarred)
        names.emplace_back("starred");
    return names;
}

const Node* findNode(const std::vector<Node>& nodes, int id)
{
    // No node has a negative id: the root's "parent" (-1) ends every ancestor walk here,
    // not after a scan of the whole run.
    if (id < 0)
        return nullptr;
    // Ids are dense and nodes are ordered by id, so the index is the id in practice; an
    // imported run with gaps is found by bisection.
    if (static_cast<size_t>(id) < nodes.size() && nodes[static_cast<size_t>(id)].id == id)
        return &nodes[static_cast<size_t>(id)];
    const auto it = std::lower_bound(nodes.begin(), nodes.end(), id,
                                     [](const Node& node, int wanted) { return node.id < wanted; });
    if (it != nodes.end() && it->id == id)
        return &*it;
    for (const auto& node : nodes) // a caller that broke the order: slower, still right
        if (node.id == id)
            return &node;
    return nullptr;
}

double totalCost(const std::vector<Node>& nodes)
{
    double cost = 0;
    for (const auto& node : nodes)
        cost += node.proposer.cost;
    return cost;
}

} // namespace clade::engine
