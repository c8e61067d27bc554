#include "database_faults.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace harness {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw std::runtime_error("cannot " + what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

void require_database_file(const std::string& path) {
  struct stat info {};
  if (path.empty()) throw std::runtime_error("the run has no database file");
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) {
      throw std::runtime_error("no database file at " + path + ": the target has not created it");
    }
    fail("stat", path);
  }
}

void corrupt_database(const std::string& path) {
  require_database_file(path);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail("open", path);
  constexpr std::array<char, 100> kZeroHeader{};
  const ssize_t written = ::pwrite(fd, kZeroHeader.data(), kZeroHeader.size(), 0);
  const int saved = errno;
  ::close(fd);
  errno = saved;
  if (written != static_cast<ssize_t>(kZeroHeader.size())) fail("overwrite the header of", path);
}

void truncate_database(const std::string& path) {
  require_database_file(path);
  if (::truncate(path.c_str(), 0) != 0) fail("truncate", path);
}

void remove_database(const std::string& path) {
  require_database_file(path);
  if (::unlink(path.c_str()) != 0) fail("remove", path);
}

DatabaseLock::DatabaseLock(const std::string& path, std::chrono::milliseconds patience) {
  require_database_file(path);
  // No SQLITE_OPEN_CREATE: a file removed since the check is an error, not a new database.
  if (const int code = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr);
      code != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code);
    sqlite3_close(db_);
    throw std::runtime_error("cannot open " + path + ": " + message);
  }
  sqlite3_busy_timeout(db_, static_cast<int>(patience.count()));
  if (sqlite3_exec(db_, "BEGIN EXCLUSIVE;", nullptr, nullptr, nullptr) != SQLITE_OK) {
    const std::string message = sqlite3_errmsg(db_);
    sqlite3_close(db_);
    throw std::runtime_error("cannot lock " + path + ": " + message);
  }
}

DatabaseLock::~DatabaseLock() {
  if (db_ == nullptr) return;
  sqlite3_exec(db_, "ROLLBACK;", nullptr, nullptr, nullptr);
  sqlite3_close(db_);
}

void DatabaseLock::unlock() {
  if (db_ == nullptr) return;
  const bool committed = sqlite3_exec(db_, "COMMIT;", nullptr, nullptr, nullptr) == SQLITE_OK;
  const std::string message = committed ? "" : sqlite3_errmsg(db_);
  if (!committed) sqlite3_exec(db_, "ROLLBACK;", nullptr, nullptr, nullptr);
  sqlite3_close(db_);
  db_ = nullptr;
  if (!committed) throw std::runtime_error("cannot commit the lock's transaction: " + message);
}

}  // namespace harness
