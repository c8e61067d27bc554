#include "database_faults.h"

#include <sqlite3.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <stdexcept>

#include "directory_watcher.h"

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

DatabaseLock::DatabaseLock(const std::string& path, std::chrono::milliseconds patience)
    : path_(path) {
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

bool DatabaseLock::holds_database() const {
  static constexpr char kMagic[] = "SQLite format 3";  // 16 bytes with its NUL, as on disk
  std::array<char, sizeof kMagic> head{};
  // A short read (an empty file) fills with zeros: no magic.
  const int code = file()->pMethods->xRead(file(), head.data(), head.size(), 0);
  return (code == SQLITE_OK || code == SQLITE_IOERR_SHORT_READ) &&
         std::memcmp(head.data(), kMagic, head.size()) == 0;
}

void DatabaseLock::damage(Damage damage) {
  if (!holds_database()) {
    throw std::runtime_error("no database in " + path_ + " yet: the target has not written it");
  }
  sqlite3_file* const handle = file();
  static constexpr std::array<char, 100> kZeroHeader{};
  const int code = damage == Damage::kZeroHeader
                       ? handle->pMethods->xWrite(handle, kZeroHeader.data(), kZeroHeader.size(), 0)
                       : handle->pMethods->xTruncate(handle, 0);
  if (code != SQLITE_OK) {
    throw std::runtime_error(
        std::string("cannot ") +
        (damage == Damage::kZeroHeader ? "overwrite the header of " : "truncate ") + path_ + ": " +
        sqlite3_errstr(code));
  }
}

sqlite3_file* DatabaseLock::file() const {
  sqlite3_file* handle = nullptr;
  sqlite3_file_control(db_, "main", SQLITE_FCNTL_FILE_POINTER, &handle);
  return handle;
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

namespace {

// Runs `act` under an exclusive lock of the harness's once the file holds a database, waiting
// at most `patience` in all (see damage_database).
void once_it_holds_a_database(const std::string& path, std::chrono::milliseconds patience,
                              const std::function<void(DatabaseLock&)>& act) {
  require_database_file(path);
  const auto deadline = std::chrono::steady_clock::now() + patience;
  std::mutex mutex;
  std::condition_variable written;
  bool changed = false;
  // Set before the first look, so that a write between the look and the wait is not missed.
  const DirectoryWatch watch(std::filesystem::path(path).parent_path().string(),
                             IN_MODIFY | IN_CLOSE_WRITE, [&] {
                               std::lock_guard lock(mutex);
                               changed = true;
                               written.notify_all();
                             });
  for (;;) {
    {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      DatabaseLock lock(path, std::max(left, std::chrono::milliseconds(0)));
      if (lock.holds_database()) {
        act(lock);
        return;  // the lock ends here, after the act
      }
    }
    std::unique_lock lock(mutex);
    if (!written.wait_until(lock, deadline, [&] { return changed; })) {
      throw std::runtime_error("no database in " + path + " after " +
                               std::to_string(patience.count()) +
                               " ms: the target created the file but has not written it");
    }
    changed = false;
  }
}

}  // namespace

void damage_database(const std::string& path, Damage damage, std::chrono::milliseconds patience) {
  once_it_holds_a_database(path, patience, [&](DatabaseLock& lock) { lock.damage(damage); });
}

void remove_database(const std::string& path, std::chrono::milliseconds patience) {
  once_it_holds_a_database(path, patience, [&](DatabaseLock&) { unlink_database(path); });
}

void unlink_database(const std::string& path) {
  if (::unlink(path.c_str()) != 0) fail("remove", path);
}

}  // namespace harness
