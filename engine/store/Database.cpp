#include "engine/store/Database.h"

#include <sqlite3.h>

namespace clade::engine {
namespace {

[[noreturn]] void fail(sqlite3* db, const std::filesystem::path& file, std::string_view what)
{
    throw StoreError(file.string() + ": " + std::string(what) + ": " +
                     (db ? sqlite3_errmsg(db) : "out of memory"));
}

} // namespace

Database::Database(const std::filesystem::path& file, Mode mode) : m_file(file)
{
    const int flags = mode == Mode::ReadOnly
                          ? SQLITE_OPEN_READONLY
                          : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(file.c_str(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        std::string message = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        sqlite3_close(m_db);
        m_db = nullptr;
        throw StoreError(file.string() + ": cannot open database: " + message);
    }
    // Several processes (the owner, a GUI, `clade approve`) share the file: wait for locks.
    sqlite3_busy_timeout(m_db, 10000);
    if (mode == Mode::ReadWrite) {
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=FULL");
    }
    exec("PRAGMA foreign_keys=ON");
}

Database::~Database()
{
    sqlite3_close_v2(m_db);
}

void Database::exec(std::string_view sql)
{
    char* error = nullptr;
    const std::string text(sql);
    if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = error ? error : "unknown error";
        sqlite3_free(error);
        throw StoreError(m_file.string() + ": " + message + " (in: " + text.substr(0, 80) + ")");
    }
}

Statement Database::prepare(std::string_view sql)
{
    return Statement(*this, sql);
}

std::int64_t Database::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int Database::userVersion()
{
    Statement st(*this, "PRAGMA user_version");
    st.step();
    return st.integer(0);
}

void Database::setUserVersion(int version)
{
    exec("PRAGMA user_version=" + std::to_string(version));
}

std::int64_t Database::dataVersion()
{
    Statement st(*this, "PRAGMA data_version");
    st.step();
    return st.int64(0);
}

Statement::Statement(Database& db, std::string_view sql) : m_database(&db)
{
    if (sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) != SQLITE_OK)
        fail(db.handle(), db.file(), "cannot prepare '" + std::string(sql.substr(0, 60)) + "'");
}

Statement::~Statement()
{
    sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement&& other) noexcept
    : m_database(other.m_database), m_stmt(other.m_stmt), m_needsReset(other.m_needsReset)
{
    other.m_stmt = nullptr;
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    m_needsReset = false;
}

Statement& Statement::bind(int index, std::int64_t value)
{
    if (m_needsReset)
        reset();
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement& Statement::bind(int index, double value)
{
    if (m_needsReset)
        reset();
    sqlite3_bind_double(m_stmt, index, value);
    return *this;
}

Statement& Statement::bind(int index, std::string_view value)
{
    if (m_needsReset)
        reset();
    sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()),
                      SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind(int index, std::optional<double> value)
{
    return value ? bind(index, *value) : bindNull(index);
}

Statement& Statement::bindNull(int index)
{
    if (m_needsReset)
        reset();
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

bool Statement::step()
{
    m_needsReset = true;
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    fail(m_database->handle(), m_database->file(), "statement failed");
}

void Statement::run()
{
    while (step()) {
    }
    reset();
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::real(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

std::optional<double> Statement::optionalReal(int column) const
{
    if (isNull(column))
        return std::nullopt;
    return real(column);
}

std::string Statement::text(int column) const
{
    const auto* data = sqlite3_column_text(m_stmt, column);
    if (!data)
        return {};
    return std::string(reinterpret_cast<const char*>(data),
                       static_cast<size_t>(sqlite3_column_bytes(m_stmt, column)));
}

Transaction::Transaction(Database& db) : m_db(db)
{
    m_db.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction()
{
    if (!m_done) {
        try {
            m_db.exec("ROLLBACK");
        } catch (...) {
            // Nothing useful to do in a destructor; SQLite rolls back on close anyway.
        }
    }
}

void Transaction::commit()
{
    m_db.exec("COMMIT");
    m_done = true;
}

} // namespace clade::engine
