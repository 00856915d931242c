#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace clade::engine {

/// An SQLite failure; the message names the database file and the statement's purpose.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Statement;

/// One SQLite connection (owned by one thread). Opened in WAL mode with synchronous=FULL
/// so that a committed transaction survives kill -9 and power loss.
class Database {
public:
    enum class Mode { ReadWrite, ReadOnly };

    Database(const std::filesystem::path& file, Mode mode = Mode::ReadWrite);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);
    std::int64_t lastInsertId() const;
    int userVersion();
    void setUserVersion(int version);
    /// Changes whenever another connection commits (PRAGMA data_version).
    std::int64_t dataVersion();
    const std::filesystem::path& file() const { return m_file; }
    sqlite3* handle() const { return m_db; }

private:
    sqlite3* m_db = nullptr;
    std::filesystem::path m_file;
};

/// A prepared statement; reset automatically before each new binding round.
class Statement {
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, std::optional<double> value);
    Statement& bindNull(int index);

    /// Steps once; true while a row is available.
    bool step();
    /// Steps to completion (for writes) and resets.
    void run();
    void reset();

    bool isNull(int column) const;
    std::int64_t int64(int column) const;
    int integer(int column) const { return static_cast<int>(int64(column)); }
    double real(int column) const;
    std::optional<double> optionalReal(int column) const;
    std::string text(int column) const;

private:
    Database* m_database;
    sqlite3_stmt* m_stmt = nullptr;
    bool m_needsReset = false;
};

/// BEGIN IMMEDIATE ... COMMIT; rolls back if destroyed without commit().
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& m_db;
    bool m_done = false;
};

} // namespace clade::engine
