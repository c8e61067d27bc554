// One connection to a SQLite database, opened as Python's sqlite3.connect opens it (create when
// missing, 5 s busy timeout). Every SQLite error is thrown as the superlink::PythonError Python's
// sqlite3 module would raise for it (`sqlite3.OperationalError: database is locked`).
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

struct sqlite3;

namespace superlink {

using SqlValue = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
using SqlRow = std::vector<SqlValue>;

// Python's sqlite3.connect(timeout=5.0): how long a query waits for another connection's lock.
inline constexpr std::chrono::milliseconds kPythonBusyTimeout{5000};

class SqliteConnection {
 public:
  // `path` is a file name or ":memory:". Throws PythonError when it cannot be opened. Only
  // tests pass another `busy_timeout`, so as not to wait Python's 5 s.
  explicit SqliteConnection(const std::string& path,
                            std::chrono::milliseconds busy_timeout = kPythonBusyTimeout);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Runs one statement with `params` bound in order and returns its rows. Prepared afresh each
  // time, so a schema changed behind the connection's back is seen at once.
  std::vector<SqlRow> query(std::string_view sql, std::initializer_list<SqlValue> params = {});
  // Rows the last INSERT, UPDATE or DELETE changed.
  int changes() const;

 private:
  [[noreturn]] void fail(int code) const;
  sqlite3* db_ = nullptr;
};

// Python's sqlite3 exception for a SQLite result code: "sqlite3.OperationalError", ...
std::string python_sqlite_exception(int code);

}  // namespace superlink
