#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace clade::engine {

enum class NodeStatus { Proposed, AwaitingApproval, Evaluating, Evaluated, Failed, Rejected };

/// Flags are independent of status: a node can be evaluated and kept, or evaluated and reverted.
enum NodeFlag : unsigned {
    FlagKept = 1u << 0,
    FlagReverted = 1u << 1,
    FlagPinned = 1u << 2,
    FlagArchived = 1u << 3,
    FlagHeld = 1u << 4,    ///< evaluated, but keeping it waits for a person (a score jump)
    FlagStarred = 1u << 5, ///< a person starred it
};

std::string toString(NodeStatus status);
/// Throws std::invalid_argument for an unknown name.
NodeStatus nodeStatusFromString(const std::string& name);
std::vector<std::string> flagNames(unsigned flags);

struct Node;
/// USD spent on model calls over `nodes` (each node's proposer record holds its own).
double totalCost(const std::vector<Node>& nodes);

/// Summary of a node's change against its primary parent.
struct DiffSummary {
    int files = 0;
    int insertions = 0;
    int deletions = 0;
};

/// Who or what produced a node's code.
struct ProposerRecord {
    std::string kind;  ///< "root", "command", "llm", "human"
    std::string model; ///< the model called for this node, if any
    /// Every model call made for this node: its proposal (llm proposer, or an agent's own
    /// calls through the gateway while proposing it) and its evaluations (an agent that
    /// calls the model while it solves tasks). USD.
    std::int64_t tokensIn = 0;
    std::int64_t tokensOut = 0;
    double cost = 0;
};

/// One version of the agent. An immutable value once read; crosses threads freely.
struct Node {
    int id = -1;
    std::vector<int> parents; ///< first is the primary parent; empty for the root
    std::string commit;       ///< hex; empty when a proposal failed before producing code
    NodeStatus status = NodeStatus::Proposed;
    unsigned flags = 0;
    std::optional<double> score; ///< primary metric over the tasks evaluated so far
    int stage = 0;               ///< evaluation stage reached (staged strategies)
    std::string description;     ///< one line: what changed
    ProposerRecord proposer;
    DiffSummary diff;
    std::map<std::string, double> results; ///< task id -> score
    std::map<std::string, double> metrics; ///< aggregate metrics from the score phase
    std::string error;                     ///< why a node failed
    double createdAt = 0;                  ///< unix seconds
    double updatedAt = 0;
    double proposeSeconds = 0;
    double evaluateSeconds = 0;
    std::vector<std::string> tags;  ///< a person's tags, sorted
    std::vector<std::string> notes; ///< a person's notes (note decisions), oldest first

    bool hasFlag(NodeFlag flag) const { return (flags & flag) != 0; }
    int primaryParent() const { return parents.empty() ? -1 : parents.front(); }
};

} // namespace clade::engine
