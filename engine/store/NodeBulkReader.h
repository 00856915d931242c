#pragma once

#include "engine/store/Database.h"
#include "engine/store/Node.h"

#include <vector>

namespace clade::engine {

/// Reads many nodes with one query per table (nodes, parents, results, metrics, tags, notes)
/// instead of one query per node, so that opening a run of 100,000 nodes takes well under a
/// second. Works on a read-only connection; never writes. The one reader of whole runs:
/// RunStore::loadNodes() is readAll() on the store's connection.
class NodeBulkReader {
public:
    explicit NodeBulkReader(Database& db) : m_db(db) {}

    /// Every node, in id order, with parents (primary first), results and metrics.
    std::vector<Node> readAll();
    /// Nodes whose row changed after `updatedAfter` (unix seconds, the nodes.updated_at
    /// column every write sets), in id order. For a live view that refreshes what changed.
    std::vector<Node> readChangedSince(double updatedAfter);
    /// The nodes with these ids (unknown ids are skipped), in id order.
    std::vector<Node> readByIds(std::vector<int> ids);

private:
    std::vector<Node> readWhere(const char* nodeCondition, const char* detailCondition,
                                const std::vector<int>* ids, double since);

    Database& m_db;
};

/// Convenience forms of NodeBulkReader.
std::vector<Node> readAllNodes(Database& db);
std::vector<Node> readNodesChangedSince(Database& db, double updatedAfter);

} // namespace clade::engine
