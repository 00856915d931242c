#pragma once

namespace clade::engine {

class Database;

/// The run database's schema version this build writes (PRAGMA user_version).
inline constexpr int kSchemaVersion = 3;

/// Brings a database to kSchemaVersion: creates a new one, or applies each migration
/// from its version upward, each in its own transaction. A database from a newer build
/// (version > kSchemaVersion) is an InputError naming the file: we never guess at it.
void migrateSchema(Database& db);

/// Creates a database at exactly `version` (tests use this to check migrations).
void createSchemaAtVersion(Database& db, int version);

} // namespace clade::engine
