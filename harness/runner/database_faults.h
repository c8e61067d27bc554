// Damage done to a SQLite database file from outside the process that uses it, as a disk, an
// operator or another program would: the `database = ...` outside faults. Each throws
// std::runtime_error saying why it could not be done ("no database file at PATH: ...").
#pragma once

#include <chrono>
#include <string>

struct sqlite3;

namespace harness {

// Zeroes the 100-byte database header (the "SQLite format 3" magic, the page size and the file
// change counter at offset 24). Every connection, open ones included, then fails its next
// statement with "file is not a database": the changed counter makes each drop its page cache
// and read page 1 again, where the magic is gone.
void corrupt_database(const std::string& path);

// Truncates the file to 0 bytes. SQLite reads an empty file as an empty database, so the
// schema is gone: the next query of any connection fails with "no such table: ...".
void truncate_database(const std::string& path);

// Unlinks the file (not its -journal). Connections already open keep the unlinked inode and go
// on; a new connection creates a new, empty file.
void remove_database(const std::string& path);

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

 private:
  sqlite3* db_ = nullptr;
};

// Throws "no database file at PATH: the target has not created it" when `path` does not exist.
void require_database_file(const std::string& path);

}  // namespace harness
