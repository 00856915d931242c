#include "engine/store/RunStore.h"

#include "engine/store/NodeBulkReader.h"
#include "engine/store/NodeRow.h"
#include "engine/store/Schema.h"
#include "engine/util/Utf8Text.h"

#include <algorithm>
#include <chrono>

namespace clade::engine {

namespace {

// Everything in clade.db is valid UTF-8, so every reader (the views, `clade export`,
// `status --json`) can turn it into JSON. Text from outside (a sandbox's output, a model's
// answer, a file name quoted in an error) is repaired where it enters, and reported there;
// this is the last line: a byte missed upstream costs a U+FFFD here, not an exception that
// loses the write (nlohmann::json::dump throws on invalid UTF-8).
std::string stored(const std::string& text)
{
    return toValidUtf8(text);
}

std::string storedJson(const nlohmann::json& value)
{
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace

double unixNow()
{
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

nlohmann::json nodeToJson(const Node& node)
{
    nlohmann::json j;
    j["id"] = node.id;
    j["parents"] = node.parents;
    j["commit"] = node.commit;
    j["status"] = toString(node.status);
    j["flags"] = flagNames(node.flags);
    j["tags"] = node.tags;
    j["score"] = node.score ? nlohmann::json(*node.score) : nlohmann::json(nullptr);
    j["stage"] = node.stage;
    j["description"] = node.description;
    j["proposer"] = {{"kind", node.proposer.kind},
                     {"model", node.proposer.model},
                     {"tokens_in", node.proposer.tokensIn},
                     {"tokens_out", node.proposer.tokensOut},
                     {"cost", node.proposer.cost}};
    j["diff"] = {{"files", node.diff.files},
                 {"insertions", node.diff.insertions},
                 {"deletions", node.diff.deletions}};
    j["results"] = node.results;
    j["metrics"] = node.metrics;
    j["error"] = node.error;
    j["created_at"] = node.createdAt;
    j["updated_at"] = node.updatedAt;
    j["propose_seconds"] = node.proposeSeconds;
    j["evaluate_seconds"] = node.evaluateSeconds;
    return j;
}

RunStore::RunStore(const std::filesystem::path& dbFile, Database::Mode mode) : m_db(dbFile, mode)
{
    if (mode == Database::Mode::ReadWrite) {
        migrateSchema(m_db);
    } else if (m_db.userVersion() > kSchemaVersion) {
        migrateSchema(m_db); // throws the "newer schema" InputError
    }
}

Statement& RunStore::cached(const char* sql)
{
    auto& slot = m_statements[sql];
    if (!slot)
        slot = std::make_unique<Statement>(m_db, sql);
    return *slot;
}

namespace {

// Columns: id, node_id, action, who, time, note, payload.
Decision readDecisionRow(const Statement& st)
{
    nlohmann::json payload = nlohmann::json::parse(st.text(6), nullptr, false);
    if (!payload.is_object())
        payload = nlohmann::json::object(); // a damaged detail never hides the decision itself
    return {st.int64(0), st.integer(1), st.text(2), st.text(3), st.real(4), st.text(5),
            std::move(payload)};
}

} // namespace

std::vector<Node> RunStore::loadNodes()
{
    // One reader of whole runs: NodeBulkReader reads them in one snapshot with a query per
    // table, which opening a run of 100,000 nodes depends on (BENCHMARKS.md "open").
    return readAllNodes(m_db);
}

void RunStore::readDetails(Node& node)
{
    auto& parents = cached("SELECT parent_id FROM parents WHERE node_id=? ORDER BY position");
    parents.bind(1, node.id);
    while (parents.step())
        node.parents.push_back(parents.integer(0));
    parents.reset();
    auto& results = cached("SELECT task_id, score FROM results WHERE node_id=?");
    results.bind(1, node.id);
    while (results.step())
        node.results[results.text(0)] = results.real(1);
    results.reset();
    auto& metrics = cached("SELECT name, value FROM metrics WHERE node_id=?");
    metrics.bind(1, node.id);
    while (metrics.step())
        node.metrics[metrics.text(0)] = metrics.real(1);
    metrics.reset();
    auto& tags = cached("SELECT tag FROM tags WHERE node_id=? ORDER BY tag");
    tags.bind(1, node.id);
    while (tags.step())
        node.tags.push_back(tags.text(0));
    tags.reset();
    auto& notes = cached("SELECT note FROM decisions WHERE node_id=? AND action='note' ORDER BY id");
    notes.bind(1, node.id);
    while (notes.step())
        node.notes.push_back(notes.text(0));
    notes.reset();
}

std::optional<Node> RunStore::loadNode(int id)
{
    static const std::string sql = std::string(kNodeSelect) + " WHERE id=?";
    auto& st = cached(sql.c_str());
    st.bind(1, id);
    if (!st.step()) {
        st.reset();
        return std::nullopt;
    }
    Node node = readNodeRow(st);
    st.reset();
    readDetails(node);
    return node;
}

int RunStore::maxNodeId()
{
    auto& st = cached("SELECT COALESCE(MAX(id), -1) FROM nodes");
    st.step();
    const int id = st.integer(0);
    st.reset();
    return id;
}

std::map<std::string, int> RunStore::countsByStatus()
{
    std::map<std::string, int> counts;
    auto& st = cached("SELECT status, COUNT(*) FROM nodes GROUP BY status");
    while (st.step())
        counts[st.text(0)] = st.integer(1);
    st.reset();
    return counts;
}

std::int64_t RunStore::lastEventSeq()
{
    auto& st = cached("SELECT COALESCE(MAX(seq), 0) FROM events");
    st.step();
    const std::int64_t seq = st.int64(0);
    st.reset();
    return seq;
}

std::vector<int> RunStore::nodesChangedAfter(std::int64_t seq, std::int64_t* lastSeq)
{
    // Only ids: following a run live must not parse every event's JSON payload.
    std::vector<int> ids;
    auto& st = cached("SELECT seq, node_id FROM events WHERE seq>? ORDER BY seq");
    st.bind(1, seq);
    *lastSeq = seq;
    while (st.step()) {
        *lastSeq = st.int64(0);
        if (!st.isNull(1) && st.integer(1) >= 0)
            ids.push_back(st.integer(1));
    }
    st.reset();
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

namespace {

/// The rows of a statement that selects seq, time, kind, node_id, payload from events.
std::vector<RunEvent> readEvents(Statement& st)
{
    std::vector<RunEvent> events;
    while (st.step()) {
        RunEvent e;
        e.seq = st.int64(0);
        e.time = st.real(1);
        e.kind = st.text(2);
        e.nodeId = st.integer(3);
        e.payload = nlohmann::json::parse(st.text(4), nullptr, false);
        events.push_back(std::move(e));
    }
    st.reset();
    return events;
}

} // namespace

std::vector<RunEvent> RunStore::eventsAfter(std::int64_t seq, int limit)
{
    auto& st = cached(
        "SELECT seq, time, kind, node_id, payload FROM events WHERE seq>? ORDER BY seq LIMIT ?");
    st.bind(1, seq).bind(2, limit);
    return readEvents(st);
}

std::vector<RunEvent> RunStore::eventsOfKind(const std::string& kind)
{
    auto& st = cached("SELECT seq, time, kind, node_id, payload FROM events WHERE kind=? ORDER BY seq");
    st.bind(1, kind);
    return readEvents(st);
}

std::vector<Decision> RunStore::decisionsFor(int nodeId)
{
    std::vector<Decision> out;
    auto& st = cached(
        "SELECT id, node_id, action, who, time, note, payload FROM decisions WHERE node_id=? "
        "ORDER BY id");
    st.bind(1, nodeId);
    while (st.step())
        out.push_back(readDecisionRow(st));
    st.reset();
    return out;
}

std::vector<Decision> RunStore::allDecisions()
{
    std::vector<Decision> out;
    auto& st = cached("SELECT id, node_id, action, who, time, note, payload FROM decisions ORDER BY id");
    while (st.step())
        out.push_back(readDecisionRow(st));
    st.reset();
    return out;
}

std::set<int> RunStore::nodesWithDecision(const std::string& action)
{
    auto& st = cached("SELECT DISTINCT node_id FROM decisions WHERE action=?");
    st.bind(1, action);
    std::set<int> ids;
    while (st.step())
        ids.insert(st.integer(0));
    st.reset();
    return ids;
}

std::optional<std::string> RunStore::meta(const std::string& key)
{
    auto& st = cached("SELECT value FROM meta WHERE key=?");
    st.bind(1, key);
    std::optional<std::string> value;
    if (st.step())
        value = st.text(0);
    st.reset();
    return value;
}

RunEvent RunStore::writeEvent(const std::string& kind, int nodeId, const nlohmann::json& payload)
{
    RunEvent e;
    e.time = unixNow();
    e.kind = kind;
    e.nodeId = nodeId;
    e.payload = payload;
    cached("INSERT INTO events(time, kind, node_id, payload) VALUES(?,?,?,?)")
        .bind(1, e.time)
        .bind(2, kind)
        .bind(3, nodeId)
        .bind(4, storedJson(payload))
        .run();
    e.seq = m_db.lastInsertId();
    return e;
}

RunEvent RunStore::insertNode(const Node& node)
{
    Transaction tx(m_db);
    writeNodeRow(node);
    writeResults(node); // what is measured at birth (clade.risk_findings)
    RunEvent e = writeEvent(EventKind::NodeAdded, node.id, nodeToJson(node));
    tx.commit();
    return e;
}

void RunStore::insertNodes(const std::vector<Node>& nodes)
{
    Transaction tx(m_db);
    for (const Node& node : nodes) {
        writeNodeRow(node);
        writeResults(node);
        writeEvent(EventKind::NodeAdded, node.id, nodeToJson(node));
    }
    tx.commit();
}

void RunStore::writeNodeRow(const Node& node)
{
    cached("INSERT INTO nodes(id, commit_id, status, flags, score, stage, description, "
           "proposer_kind, proposer_model, tokens_in, tokens_out, cost, diff_files, "
           "diff_insertions, diff_deletions, error, created_at, updated_at, propose_seconds, "
           "evaluate_seconds) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
        .bind(1, node.id)
        .bind(2, node.commit)
        .bind(3, toString(node.status))
        .bind(4, static_cast<std::int64_t>(node.flags))
        .bind(5, node.score)
        .bind(6, node.stage)
        .bind(7, stored(node.description))
        .bind(8, stored(node.proposer.kind))
        .bind(9, stored(node.proposer.model))
        .bind(10, node.proposer.tokensIn)
        .bind(11, node.proposer.tokensOut)
        .bind(12, node.proposer.cost)
        .bind(13, node.diff.files)
        .bind(14, node.diff.insertions)
        .bind(15, node.diff.deletions)
        .bind(16, stored(node.error))
        .bind(17, node.createdAt)
        .bind(18, node.updatedAt)
        .bind(19, node.proposeSeconds)
        .bind(20, node.evaluateSeconds)
        .run();
    for (size_t i = 0; i < node.parents.size(); ++i)
        cached("INSERT INTO parents(node_id, position, parent_id) VALUES(?,?,?)")
            .bind(1, node.id)
            .bind(2, static_cast<int>(i))
            .bind(3, node.parents[i])
            .run();
}

void RunStore::writeResults(const Node& node)
{
    for (const auto& [task, score] : node.results)
        cached("INSERT OR REPLACE INTO results(node_id, task_id, score) VALUES(?,?,?)")
            .bind(1, node.id)
            .bind(2, stored(task))
            .bind(3, score)
            .run();
    for (const auto& [name, value] : node.metrics)
        cached("INSERT OR REPLACE INTO metrics(node_id, name, value) VALUES(?,?,?)")
            .bind(1, node.id)
            .bind(2, stored(name))
            .bind(3, value)
            .run();
}

RunEvent RunStore::setStatus(int id, NodeStatus status, const std::string& error)
{
    Transaction tx(m_db);
    cached("UPDATE nodes SET status=?, error=?, updated_at=? WHERE id=?")
        .bind(1, toString(status))
        .bind(2, stored(error))
        .bind(3, unixNow())
        .bind(4, id)
        .run();
    nlohmann::json payload{{"status", toString(status)}};
    if (!error.empty())
        payload["error"] = error;
    RunEvent e = writeEvent(status == NodeStatus::Failed ? EventKind::NodeFailed
                                                         : EventKind::StatusChanged,
                            id, payload);
    tx.commit();
    return e;
}

RunEvent RunStore::markEvaluating(int id)
{
    m_db.exec("PRAGMA synchronous=NORMAL");
    try {
        RunEvent e = setStatus(id, NodeStatus::Evaluating);
        m_db.exec("PRAGMA synchronous=FULL");
        return e;
    } catch (...) {
        m_db.exec("PRAGMA synchronous=FULL");
        throw;
    }
}

RunEvent RunStore::recordEvaluation(const Node& node)
{
    Transaction tx(m_db);
    writeResults(node);
    // Tokens and cost too: an agent that calls the model through the gateway spends them
    // while it is evaluated.
    cached("UPDATE nodes SET status=?, score=?, stage=?, error=?, evaluate_seconds=?, "
           "updated_at=?, tokens_in=?, tokens_out=?, cost=?, proposer_model=? WHERE id=?")
        .bind(1, toString(node.status))
        .bind(2, node.score)
        .bind(3, node.stage)
        .bind(4, stored(node.error))
        .bind(5, node.evaluateSeconds)
        .bind(6, unixNow())
        .bind(7, node.proposer.tokensIn)
        .bind(8, node.proposer.tokensOut)
        .bind(9, node.proposer.cost)
        .bind(10, stored(node.proposer.model))
        .bind(11, node.id)
        .run();
    nlohmann::json payload{{"status", toString(node.status)},
                           {"score", node.score ? nlohmann::json(*node.score) : nullptr},
                           {"tasks", node.results.size()},
                           {"stage", node.stage}};
    if (!node.error.empty())
        payload["error"] = node.error;
    RunEvent e = writeEvent(node.status == NodeStatus::Failed ? EventKind::NodeFailed
                                                              : EventKind::NodeEvaluated,
                            node.id, payload);
    tx.commit();
    return e;
}

RunEvent RunStore::setFlags(int id, unsigned flags, const std::string& reason)
{
    Transaction tx(m_db);
    cached("UPDATE nodes SET flags=?, updated_at=? WHERE id=?")
        .bind(1, static_cast<std::int64_t>(flags))
        .bind(2, unixNow())
        .bind(3, id)
        .run();
    RunEvent e = writeEvent(EventKind::FlagsChanged, id,
                            {{"flags", flagNames(flags)}, {"reason", reason}});
    tx.commit();
    return e;
}

RunEvent RunStore::appendEvent(const std::string& kind, int nodeId, const nlohmann::json& payload)
{
    Transaction tx(m_db);
    RunEvent e = writeEvent(kind, nodeId, payload);
    tx.commit();
    return e;
}

void RunStore::setMeta(const std::string& key, const std::string& value)
{
    Transaction tx(m_db);
    cached("INSERT OR REPLACE INTO meta(key, value) VALUES(?,?)").bind(1, key).bind(2, stored(value)).run();
    tx.commit();
}

void RunStore::removeMeta(const std::string& key)
{
    Transaction tx(m_db);
    cached("DELETE FROM meta WHERE key=?").bind(1, key).run();
    tx.commit();
}

void RunStore::integrityCheck()
{
    Statement st(m_db, "PRAGMA integrity_check");
    std::string problems;
    while (st.step()) {
        const std::string line = st.text(0);
        if (line != "ok")
            problems += line + "; ";
    }
    if (!problems.empty())
        throw StoreError(m_db.file().string() + ": integrity check failed: " + problems);
}

std::int64_t RunStore::enqueueDecision(const Decision& d)
{
    Transaction tx(m_db);
    cached("INSERT INTO decisions_inbox(time, who, node_id, action, note, payload) "
           "VALUES(?,?,?,?,?,?)")
        .bind(1, d.time)
        .bind(2, stored(d.who))
        .bind(3, d.nodeId)
        .bind(4, d.action)
        .bind(5, stored(d.note))
        .bind(6, storedJson(d.payload))
        .run();
    const auto id = m_db.lastInsertId();
    tx.commit();
    return id;
}

std::vector<Decision> RunStore::pendingDecisions()
{
    std::vector<Decision> out;
    auto& st = cached("SELECT id, node_id, action, who, time, note, payload FROM decisions_inbox "
                      "WHERE applied_at IS NULL ORDER BY id");
    while (st.step())
        out.push_back(readDecisionRow(st));
    st.reset();
    return out;
}

void RunStore::markDecisionApplied(std::int64_t inboxId, const std::string& outcome)
{
    Transaction tx(m_db);
    cached("UPDATE decisions_inbox SET applied_at=?, outcome=? WHERE id=?")
        .bind(1, unixNow())
        .bind(2, outcome)
        .bind(3, inboxId)
        .run();
    tx.commit();
}

RunEvent RunStore::applyDecision(const Decision& d, const DecisionEffect& effect,
                                 const std::string& outcome)
{
    Transaction tx(m_db);
    const double now = unixNow();
    if (effect.status)
        cached("UPDATE nodes SET status=? WHERE id=?").bind(1, toString(*effect.status)).bind(2, d.nodeId).run();
    if (effect.flags)
        cached("UPDATE nodes SET flags=? WHERE id=?")
            .bind(1, static_cast<std::int64_t>(*effect.flags))
            .bind(2, d.nodeId)
            .run();
    if (effect.tags) {
        cached("DELETE FROM tags WHERE node_id=?").bind(1, d.nodeId).run();
        for (const auto& tag : *effect.tags)
            cached("INSERT OR IGNORE INTO tags(node_id, tag) VALUES(?,?)").bind(1, d.nodeId).bind(2, stored(tag)).run();
    }
    // Every decision touches the node's row, so readers that follow updated_at see it.
    cached("UPDATE nodes SET updated_at=? WHERE id=?").bind(1, now).bind(2, d.nodeId).run();
    for (const auto& [key, value] : effect.meta) {
        if (value.empty())
            cached("DELETE FROM meta WHERE key=?").bind(1, key).run();
        else
            cached("INSERT OR REPLACE INTO meta(key, value) VALUES(?,?)").bind(1, key).bind(2, value).run();
    }
    nlohmann::json payload = d.payload;
    payload["outcome"] = outcome;
    cached("INSERT INTO decisions(node_id, action, who, time, note, payload) VALUES(?,?,?,?,?,?)")
        .bind(1, d.nodeId)
        .bind(2, d.action)
        .bind(3, stored(d.who))
        .bind(4, d.time > 0 ? d.time : now)
        .bind(5, stored(d.note))
        .bind(6, storedJson(payload))
        .run();
    if (d.id > 0)
        cached("UPDATE decisions_inbox SET applied_at=?, outcome=? WHERE id=?")
            .bind(1, now)
            .bind(2, outcome)
            .bind(3, d.id)
            .run();
    nlohmann::json event{{"action", d.action}, {"who", d.who}, {"note", d.note}, {"details", payload}};
    if (effect.status)
        event["status"] = toString(*effect.status);
    if (effect.flags)
        event["flags"] = flagNames(*effect.flags);
    if (effect.tags)
        event["tags"] = *effect.tags;
    RunEvent e = writeEvent(EventKind::Decision, d.nodeId, event);
    tx.commit();
    return e;
}

} // namespace clade::engine
