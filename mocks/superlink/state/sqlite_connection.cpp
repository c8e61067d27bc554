#include "superlink/state/sqlite_connection.h"

#include <sqlite3.h>

#include "superlink/flower/python_error.h"

namespace superlink {
namespace {

void bind(sqlite3_stmt* statement, int index, const SqlValue& value) {
  if (const auto* number = std::get_if<std::int64_t>(&value)) {
    sqlite3_bind_int64(statement, index, *number);
  } else if (const auto* real = std::get_if<double>(&value)) {
    sqlite3_bind_double(statement, index, *real);
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    sqlite3_bind_text(statement, index, text->data(), static_cast<int>(text->size()),
                      SQLITE_TRANSIENT);
  } else {
    sqlite3_bind_null(statement, index);
  }
}

SqlValue column(sqlite3_stmt* statement, int index) {
  switch (sqlite3_column_type(statement, index)) {
    case SQLITE_INTEGER:
      return static_cast<std::int64_t>(sqlite3_column_int64(statement, index));
    case SQLITE_FLOAT:
      return sqlite3_column_double(statement, index);
    case SQLITE_NULL:
      return nullptr;
    default: {
      const auto* text = sqlite3_column_blob(statement, index);
      const int size = sqlite3_column_bytes(statement, index);
      return text == nullptr ? std::string() : std::string(static_cast<const char*>(text), size);
    }
  }
}

}  // namespace

// The mapping of CPython's Modules/_sqlite (3.11), by primary result code.
std::string python_sqlite_exception(int code) {
  switch (code & 0xff) {
    case SQLITE_INTERNAL:
    case SQLITE_NOTFOUND:
      return "sqlite3.InternalError";
    case SQLITE_NOMEM:
      return "MemoryError";
    case SQLITE_ERROR:
    case SQLITE_PERM:
    case SQLITE_ABORT:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_READONLY:
    case SQLITE_INTERRUPT:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_EMPTY:
    case SQLITE_SCHEMA:
      return "sqlite3.OperationalError";
    case SQLITE_CORRUPT:
      return "sqlite3.DatabaseError";
    case SQLITE_TOOBIG:
      return "sqlite3.DataError";
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
      return "sqlite3.IntegrityError";
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
      return "sqlite3.InterfaceError";
    default:  // SQLITE_NOTADB among them
      return "sqlite3.DatabaseError";
  }
}

SqliteConnection::SqliteConnection(const std::string& path,
                                   std::chrono::milliseconds busy_timeout) {
  const int code =
      sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (code != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
    sqlite3_close(db_);
    db_ = nullptr;
    throw PythonError(python_sqlite_exception(code), message);
  }
  sqlite3_busy_timeout(db_, static_cast<int>(busy_timeout.count()));
}

SqliteConnection::~SqliteConnection() {
  sqlite3_close(db_);
}

void SqliteConnection::fail(int code) const {
  throw PythonError(python_sqlite_exception(code), sqlite3_errmsg(db_));
}

std::vector<SqlRow> SqliteConnection::query(std::string_view sql,
                                            std::initializer_list<SqlValue> params) {
  sqlite3_stmt* statement = nullptr;
  if (const int code =
          sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr);
      code != SQLITE_OK) {
    fail(code);
  }
  // Finalised on every path; the error message is read before that.
  struct Finalize {
    sqlite3_stmt* s;
    ~Finalize() { sqlite3_finalize(s); }
  } finalize{statement};
  int index = 1;
  for (const SqlValue& value : params) bind(statement, index++, value);
  std::vector<SqlRow> rows;
  for (;;) {
    const int code = sqlite3_step(statement);
    if (code == SQLITE_DONE) break;
    if (code != SQLITE_ROW) fail(code);
    SqlRow row;
    const int columns = sqlite3_column_count(statement);
    for (int i = 0; i < columns; ++i) row.push_back(column(statement, i));
    rows.push_back(std::move(row));
  }
  return rows;
}

int SqliteConnection::changes() const {
  return sqlite3_changes(db_);
}

}  // namespace superlink
