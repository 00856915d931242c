#include "engine/store/Schema.h"

#include "engine/store/Database.h"
#include "engine/util/InputError.h"

#include <array>

namespace clade::engine {
namespace {

// migrations[i] takes a database from version i to version i + 1. Append only: a shipped
// migration never changes, so every older run folder upgrades the same way.
constexpr std::array<const char*, kSchemaVersion> kMigrations{
    // 0 -> 1: the tables of ARCHITECTURE.md's run folder.
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE nodes(
    id INTEGER PRIMARY KEY,
    commit_id TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    flags INTEGER NOT NULL DEFAULT 0,
    score REAL,
    stage INTEGER NOT NULL DEFAULT 0,
    description TEXT NOT NULL DEFAULT '',
    proposer_kind TEXT NOT NULL DEFAULT '',
    proposer_model TEXT NOT NULL DEFAULT '',
    tokens_in INTEGER NOT NULL DEFAULT 0,
    tokens_out INTEGER NOT NULL DEFAULT 0,
    cost REAL NOT NULL DEFAULT 0,
    diff_files INTEGER NOT NULL DEFAULT 0,
    diff_insertions INTEGER NOT NULL DEFAULT 0,
    diff_deletions INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    propose_seconds REAL NOT NULL DEFAULT 0,
    evaluate_seconds REAL NOT NULL DEFAULT 0);
CREATE TABLE parents(
    node_id INTEGER NOT NULL REFERENCES nodes(id),
    position INTEGER NOT NULL,
    parent_id INTEGER NOT NULL REFERENCES nodes(id),
    PRIMARY KEY(node_id, position));
CREATE TABLE results(
    node_id INTEGER NOT NULL REFERENCES nodes(id),
    task_id TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY(node_id, task_id));
CREATE TABLE metrics(
    node_id INTEGER NOT NULL REFERENCES nodes(id),
    name TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY(node_id, name));
CREATE TABLE events(
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    time REAL NOT NULL,
    kind TEXT NOT NULL,
    node_id INTEGER NOT NULL DEFAULT -1,
    payload TEXT NOT NULL DEFAULT '{}');
CREATE TABLE decisions_inbox(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time REAL NOT NULL,
    who TEXT NOT NULL,
    node_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    applied_at REAL,
    outcome TEXT NOT NULL DEFAULT '');
CREATE TABLE decisions(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    node_id INTEGER NOT NULL REFERENCES nodes(id),
    action TEXT NOT NULL,
    who TEXT NOT NULL,
    time REAL NOT NULL,
    note TEXT NOT NULL DEFAULT '');
)sql",
    // 1 -> 2: lookups the GUI and `clade status` make on every refresh.
    R"sql(
CREATE INDEX nodes_by_status ON nodes(status);
CREATE INDEX events_by_node ON events(node_id);
CREATE INDEX parents_by_parent ON parents(parent_id);
)sql",
    // 2 -> 3: review. Decisions carry details (findings shown, pin count, hand-edit
    // commit); a person's tags on nodes; the owner's inbox poll finds pending rows by index.
    R"sql(
ALTER TABLE decisions_inbox ADD COLUMN payload TEXT NOT NULL DEFAULT '{}';
ALTER TABLE decisions ADD COLUMN payload TEXT NOT NULL DEFAULT '{}';
CREATE TABLE tags(
    node_id INTEGER NOT NULL REFERENCES nodes(id),
    tag TEXT NOT NULL,
    PRIMARY KEY(node_id, tag));
CREATE INDEX decisions_inbox_pending ON decisions_inbox(applied_at);
CREATE INDEX decisions_by_node ON decisions(node_id);
)sql",
};

void applyMigrations(Database& db, int from, int to)
{
    for (int version = from; version < to; ++version) {
        Transaction transaction(db);
        db.exec(kMigrations[static_cast<size_t>(version)]);
        db.setUserVersion(version + 1);
        transaction.commit();
    }
}

} // namespace

void migrateSchema(Database& db)
{
    const int version = db.userVersion();
    if (version > kSchemaVersion)
        throw InputError(db.file().string() + ": database schema version " +
                         std::to_string(version) + " is newer than this build of clade " +
                         "understands (expected at most " + std::to_string(kSchemaVersion) +
                         "); open it with a newer clade");
    applyMigrations(db, version, kSchemaVersion);
}

void createSchemaAtVersion(Database& db, int version)
{
    applyMigrations(db, db.userVersion(), version);
}

} // namespace clade::engine
