#include "engine/review/DecisionRules.h"

#include "engine/review/Decisions.h"
#include "engine/util/Utf8Text.h"

#include <algorithm>

namespace clade::engine {

std::optional<Pin> loadPin(RunStore& store)
{
    const auto text = store.meta("pin");
    if (!text)
        return std::nullopt;
    const auto json = nlohmann::json::parse(*text, nullptr, false);
    if (!json.is_object() || !json.contains("node") || !json["node"].is_number_integer())
        return std::nullopt; // a damaged pin pins nothing
    return Pin{json["node"].get<int>(), json.value("remaining", 1)};
}

std::string pinMetaValue(const std::optional<Pin>& pin)
{
    if (!pin || pin->remaining == 0)
        return {};
    return nlohmann::json{{"node", pin->node}, {"remaining", pin->remaining}}.dump();
}

namespace {

std::string nodeName(const Node& node)
{
    return "node " + std::to_string(node.id);
}

std::string tagOf(const Decision& decision)
{
    return decision.payload.value("tag", std::string());
}

} // namespace

std::string whyDecisionDoesNotFit(const Node& node, const Decision& d)
{
    namespace A = DecisionAction;
    const bool awaiting = node.status == NodeStatus::AwaitingApproval;
    const bool held = node.hasFlag(FlagHeld);
    const bool evaluated = node.status == NodeStatus::Evaluated;
    if (d.action == A::Approve || d.action == A::Reject) {
        if (!awaiting && !held)
            return nodeName(node) + " is not awaiting approval (it is " + toString(node.status) + ")";
        return {};
    }
    if (d.action == A::Edit) {
        if (node.commit.empty())
            return nodeName(node) + " has no code to edit (its proposal failed)";
        if (!d.payload.contains("commit") || !d.payload["commit"].is_string())
            return "an edit must name the edited commit (payload field 'commit')";
        return {};
    }
    if (d.action == A::Revert) {
        if (node.id == 0)
            return "the root cannot be reverted: it is the agent as given";
        if (!evaluated)
            return nodeName(node) + " is not evaluated (it is " + toString(node.status) + ")";
        if (node.hasFlag(FlagReverted))
            return nodeName(node) + " is already reverted";
        return {};
    }
    if (d.action == A::Branch) {
        if (!evaluated)
            return nodeName(node) + " is not evaluated (it is " + toString(node.status) +
                   "): only an evaluated node can be the parent of new proposals";
        const auto times = d.payload.value("times", 1);
        if (times < 0)
            return "branch: expected times >= 0 (0 = until unpinned)";
        return {};
    }
    if (d.action == A::Unpin)
        return node.hasFlag(FlagPinned) ? std::string() : nodeName(node) + " is not pinned";
    if (d.action == A::Note)
        return d.note.empty() ? "a note needs text" : std::string();
    if (d.action == A::Tag || d.action == A::Untag) {
        const std::string tag = tagOf(d);
        // 64 characters as a person counts them, not bytes: 中文 is two, not six.
        if (tag.empty() || characterCount(tag) > 64 || tag.find_first_of("\n\r\t") != std::string::npos)
            return "a tag is one line of 1 to 64 characters";
        const bool has = std::find(node.tags.begin(), node.tags.end(), tag) != node.tags.end();
        if (d.action == A::Untag && !has)
            return nodeName(node) + " has no tag '" + tag + "'";
        return {};
    }
    if (d.action == A::Star || d.action == A::Unstar)
        return {};
    std::string known;
    for (const auto& name : decisionActions())
        known += (known.empty() ? "" : ", ") + name;
    return "'" + d.action + "' is not a decision (expected one of: " + known + ")";
}

} // namespace clade::engine
