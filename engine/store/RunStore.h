#pragma once

#include "engine/store/Database.h"
#include "engine/store/Decision.h"
#include "engine/store/Node.h"
#include "engine/store/RunEvent.h"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace clade::engine {

/// What applying a decision changes on its node and the run, written in one transaction
/// with the decision row, its event and the inbox row's "applied" mark.
struct DecisionEffect {
    std::optional<NodeStatus> status;
    std::optional<unsigned> flags;
    std::optional<std::vector<std::string>> tags;
    std::map<std::string, std::string> meta; ///< keys to set; an empty value deletes the key
};

/// Typed access to a run's clade.db. One instance per thread; every write is one
/// transaction that also appends the matching event, so the event log and the tables
/// never disagree.
class RunStore {
public:
    explicit RunStore(const std::filesystem::path& dbFile,
                      Database::Mode mode = Database::Mode::ReadWrite);

    // --- reads -------------------------------------------------------------------------
    /// Every node, in id order: NodeBulkReader::readAll() on this store's connection.
    std::vector<Node> loadNodes();
    std::optional<Node> loadNode(int id);
    int maxNodeId();
    std::map<std::string, int> countsByStatus();
    std::vector<RunEvent> eventsAfter(std::int64_t seq, int limit = 1000);
    /// Every event of one kind, in order (a scan of the events table: for the few kinds a
    /// summary needs, such as phase_placed).
    std::vector<RunEvent> eventsOfKind(const std::string& kind);
    /// The newest event's seq (0 when there is none).
    std::int64_t lastEventSeq();
    /// Ids of the nodes that events after `seq` touched, ascending; `*lastSeq` becomes the
    /// newest seq read.
    std::vector<int> nodesChangedAfter(std::int64_t seq, std::int64_t* lastSeq);
    std::vector<Decision> decisionsFor(int nodeId);
    /// Every applied decision, oldest first: the audit trail (`clade audit`).
    std::vector<Decision> allDecisions();
    /// The nodes with at least one applied decision of `action`, without reading the rest
    /// of each decision (the explorer asks again after every change of a live run).
    std::set<int> nodesWithDecision(const std::string& action);
    std::optional<std::string> meta(const std::string& key);

    // --- writes (each one transaction) -------------------------------------------------
    RunEvent insertNode(const Node& node);
    /// Many finished nodes in one transaction, each with its parents, per-task results,
    /// metrics and a node_added event (importers, synthetic runs). Ids must be new.
    void insertNodes(const std::vector<Node>& nodes);
    RunEvent setStatus(int id, NodeStatus status, const std::string& error = {});
    /// Marks a node as being evaluated without waiting for the disk: if this write is lost
    /// in a crash, recovery would have re-queued the node anyway, and the next durable
    /// commit makes it durable too (WAL). Saves one fsync per node.
    RunEvent markEvaluating(int id);
    /// Stores per-task results (merged with earlier ones), metrics and the new score.
    RunEvent recordEvaluation(const Node& evaluated);
    RunEvent setFlags(int id, unsigned flags, const std::string& reason);
    RunEvent appendEvent(const std::string& kind, int nodeId, const nlohmann::json& payload);
    void setMeta(const std::string& key, const std::string& value);
    void removeMeta(const std::string& key);
    /// PRAGMA integrity_check; throws StoreError listing the problems.
    void integrityCheck();

    // --- decisions inbox (other processes append; the owner applies) ---------------------
    std::int64_t enqueueDecision(const Decision& decision);
    std::vector<Decision> pendingDecisions();
    /// Closes an inbox row without applying it (a decision that no longer fits).
    void markDecisionApplied(std::int64_t inboxId, const std::string& outcome);
    /// Applies `decision` (decision.id: its inbox row, or 0 when it never went through the
    /// inbox): the effect on the node, the decisions row, a "decision" event, and the inbox
    /// row marked applied with `outcome` — all or nothing.
    RunEvent applyDecision(const Decision& decision, const DecisionEffect& effect,
                           const std::string& outcome);

    Database& database() { return m_db; }

private:
    Statement& cached(const char* sql);
    void writeNodeRow(const Node& node);     ///< the nodes and parents rows
    void writeResults(const Node& node);     ///< the results and metrics rows
    RunEvent writeEvent(const std::string& kind, int nodeId, const nlohmann::json& payload);
    void readDetails(Node& node);

    Database m_db;
    std::unordered_map<const char*, std::unique_ptr<Statement>> m_statements;
};

double unixNow();
nlohmann::json nodeToJson(const Node& node);

} // namespace clade::engine
