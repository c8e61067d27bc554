// Damage done to a SQLite database file from outside the process that uses it, as a disk, an
// operator or another program would: the `database = ...` outside faults. Each throws
// std::runtime_error saying why it could not be done ("no database file at PATH: ...").
#pragma once

#include <chrono>
#include <string>

struct sqlite3;
struct sqlite3_file;

namespace harness {

// The damage `corrupt` and `truncate` do to the file.
enum class Damage {
  // Zeroes the 100-byte database header (the "SQLite format 3" magic, the page size and the file
  // change counter at offset 24). Every connection, open ones included, then fails its next
  // statement with "file is not a database": the changed counter makes each drop its page cache
  // and read page 1 again, where the magic is gone.
  kZeroHeader,
  // Truncates the file to 0 bytes. SQLite reads an empty file as an empty database, so the
  // schema is gone: the next query of any connection fails with "no such table: ...".
  kTruncate,
};

// Does `damage` between the target's transactions, once the file holds a database: under an
// exclusive lock of the harness's (a commit in progress would write page 1 back over the
// damage), and not while the file is still empty (a target that opened it has not written its
// first page yet: zeroed or truncated, the file would be a fresh database to SQLite, and the
// target's first commit would write its schema as if nothing had happened). Waits at most
// `patience` in all, for the target's transaction and for its first page; then throws saying
// which it waited for.
void damage_database(const std::string& path, Damage damage, std::chrono::milliseconds patience);

// Unlinks the file (not its -journal) between the target's transactions, once it holds a
// database, waiting as damage_database does: a target that opened the file but had not written
// its schema yet would otherwise fail its first write ("attempt to write a readonly database").
// Connections already open keep the unlinked inode and go on; a new connection creates a new,
// empty file.
void remove_database(const std::string& path, std::chrono::milliseconds patience);

// Unlinks the file at once (the harness's own lock, held already, keeps the target out).
void unlink_database(const std::string& path);

// A real exclusive SQLite lock: a connection of the harness in BEGIN EXCLUSIVE, so that every
// other connection's next statement waits its busy timeout and fails with "database is locked".
class DatabaseLock {
 public:
  // Waits at most `patience` for the connections that hold the file at this moment.
  DatabaseLock(const std::string& path, std::chrono::milliseconds patience);
  ~DatabaseLock();  // rolls back and closes, if unlock() did not
  DatabaseLock(const DatabaseLock&) = delete;
  DatabaseLock& operator=(const DatabaseLock&) = delete;

  // Commits the (empty) transaction and closes the connection.
  void unlock();

  // True when the file starts with SQLite's magic: the target has written its first page.
  bool holds_database() const;
  // Does `damage` through the lock's own file descriptor: a second descriptor, once closed,
  // would drop every POSIX lock of this process on the file, this one included. Throws when
  // the file holds no database (see damage_database).
  void damage(Damage damage);

 private:
  sqlite3_file* file() const;  // the connection's own, through SQLITE_FCNTL_FILE_POINTER

  std::string path_;
  sqlite3* db_ = nullptr;
};

// Throws "no database file at PATH: the target has not created it" when `path` does not exist.
void require_database_file(const std::string& path);

}  // namespace harness
