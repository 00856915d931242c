#include "engine/store/NodeBulkReader.h"

#include "engine/store/NodeRow.h"

#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <unordered_map>

namespace clade::engine {
namespace {

// Maps a node id to its position in the result. Ids are small dense integers in a run, so
// a vector beats a hash map by a wide margin; sparse ids (imports) fall back to the map.
class IdIndex {
public:
    explicit IdIndex(const std::vector<Node>& nodes)
    {
        int maxId = -1;
        for (const auto& node : nodes)
            maxId = std::max(maxId, node.id);
        m_dense = maxId < 4 * static_cast<int>(nodes.size()) + 1024 &&
                  std::all_of(nodes.begin(), nodes.end(), [](const Node& n) { return n.id >= 0; });
        if (m_dense) {
            m_slots.assign(static_cast<size_t>(maxId + 1), -1);
            for (size_t i = 0; i < nodes.size(); ++i)
                m_slots[static_cast<size_t>(nodes[i].id)] = static_cast<int>(i);
        } else {
            for (size_t i = 0; i < nodes.size(); ++i)
                m_map[nodes[i].id] = static_cast<int>(i);
        }
    }

    int find(int id) const
    {
        if (m_dense)
            return id >= 0 && id < static_cast<int>(m_slots.size())
                       ? m_slots[static_cast<size_t>(id)]
                       : -1;
        const auto it = m_map.find(id);
        return it == m_map.end() ? -1 : it->second;
    }

private:
    bool m_dense = true;
    std::vector<int> m_slots;
    std::unordered_map<int, int> m_map;
};

} // namespace

std::vector<Node> NodeBulkReader::readAll()
{
    return readWhere("", "", nullptr, 0);
}

std::vector<Node> NodeBulkReader::readChangedSince(double updatedAfter)
{
    return readWhere(" WHERE updated_at > ?1",
                     " WHERE node_id IN (SELECT id FROM nodes WHERE updated_at > ?1)", nullptr,
                     updatedAfter);
}

std::vector<Node> NodeBulkReader::readByIds(std::vector<int> ids)
{
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (ids.empty())
        return {};
    return readWhere("", "", &ids, 0);
}

std::vector<Node> NodeBulkReader::readWhere(const char* nodeCondition, const char* detailCondition,
                                            const std::vector<int>* ids, double since)
{
    // A list of ids goes through a temporary table: SQLite has no array binding without
    // the carray extension, and one statement per id is what this class exists to avoid.
    std::string nodeWhere = nodeCondition;
    std::string detailWhere = detailCondition;
    if (ids) {
        m_db.exec("CREATE TEMP TABLE IF NOT EXISTS bulk_ids(value INTEGER PRIMARY KEY)");
        m_db.exec("DELETE FROM temp.bulk_ids");
        Statement insert(m_db, "INSERT OR IGNORE INTO temp.bulk_ids(value) VALUES(?)");
        for (int id : *ids)
            insert.bind(1, id).run();
        nodeWhere = " WHERE id IN (SELECT value FROM temp.bulk_ids)";
        detailWhere = " WHERE node_id IN (SELECT value FROM temp.bulk_ids)";
    }
    auto bindSince = [&](Statement& st) {
        if (!ids && !nodeWhere.empty())
            st.bind(1, since);
    };

    // One read transaction, so the four queries see the same snapshot of a live run. A
    // caller already inside one (reading other tables of the same snapshot) keeps its own.
    const bool ownTransaction = sqlite3_get_autocommit(m_db.handle()) != 0;
    if (ownTransaction)
        m_db.exec("BEGIN");
    struct EndRead {
        Database& db;
        bool active;
        ~EndRead()
        {
            if (!active)
                return;
            try {
                db.exec("COMMIT");
            } catch (const StoreError&) {
                // Ending a read transaction cannot lose data; the next read reports a real fault.
            }
        }
    } endRead{m_db, ownTransaction};

    std::vector<Node> nodes;
    Statement rows(m_db, std::string(kNodeSelect) + nodeWhere + " ORDER BY id");
    bindSince(rows);
    while (rows.step())
        nodes.push_back(readNodeRow(rows));
    if (nodes.empty())
        return nodes;
    const IdIndex index(nodes);

    // Detail rows are placed by id; parents are read in key order so the primary comes first.
    Statement parents(m_db, "SELECT node_id, position, parent_id FROM parents" + detailWhere +
                                " ORDER BY node_id, position");
    bindSince(parents);
    while (parents.step())
        if (const int slot = index.find(parents.integer(0)); slot >= 0)
            nodes[static_cast<size_t>(slot)].parents.push_back(parents.integer(2));

    Statement results(m_db, "SELECT node_id, task_id, score FROM results" + detailWhere);
    bindSince(results);
    while (results.step())
        if (const int slot = index.find(results.integer(0)); slot >= 0)
            nodes[static_cast<size_t>(slot)].results.emplace(results.text(1), results.real(2));

    Statement metrics(m_db, "SELECT node_id, name, value FROM metrics" + detailWhere);
    bindSince(metrics);
    while (metrics.step())
        if (const int slot = index.find(metrics.integer(0)); slot >= 0)
            nodes[static_cast<size_t>(slot)].metrics.emplace(metrics.text(1), metrics.real(2));

    Statement tags(m_db, "SELECT node_id, tag FROM tags" + detailWhere + " ORDER BY node_id, tag");
    bindSince(tags);
    while (tags.step())
        if (const int slot = index.find(tags.integer(0)); slot >= 0)
            nodes[static_cast<size_t>(slot)].tags.push_back(tags.text(1));

    const std::string noteWhere = detailWhere.empty() ? " WHERE action='note'" : detailWhere + " AND action='note'";
    Statement notes(m_db, "SELECT node_id, note FROM decisions" + noteWhere + " ORDER BY id");
    bindSince(notes);
    while (notes.step())
        if (const int slot = index.find(notes.integer(0)); slot >= 0)
            nodes[static_cast<size_t>(slot)].notes.push_back(notes.text(1));
    return nodes;
}

std::vector<Node> readAllNodes(Database& db)
{
    return NodeBulkReader(db).readAll();
}

std::vector<Node> readNodesChangedSince(Database& db, double updatedAfter)
{
    return NodeBulkReader(db).readChangedSince(updatedAfter);
}

} // namespace clade::engine
