// The SQLite state on real files: the tables the real one creates, and each database fault
// giving the error Python's sqlite3 raises for it.
#include "superlink/state/link_state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "superlink/flower/python_error.h"
#include "test_support/test_directory.h"

namespace superlink {
namespace {

using ::testing::ElementsAre;

class LinkStateFile : public ::testing::Test {
 protected:
  std::string db() const { return (dir_ / "state.db").string(); }

  // Runs `call` and returns "TYPE: message" of the PythonError it throws.
  template <typename Call>
  static std::string python_error_of(Call call) {
    try {
      call();
    } catch (const PythonError& e) {
      return e.type() + ": " + e.what();
    }
    return "no error";
  }

  test_support::TestDirectory dir_{"link_state_test"};
};

TEST_F(LinkStateFile, CreatesFlowersTablesInTheFile) {
  LinkState state(db());
  SqliteConnection reader(db());
  std::vector<std::string> names;
  for (const auto& row : reader.query("SELECT name FROM sqlite_schema ORDER BY name;")) {
    names.push_back(std::get<std::string>(row[0]));
  }
  EXPECT_THAT(names,
              ElementsAre("context", "idx_online_until", "logs", "message_ins", "message_res",
                          "node", "public_key", "run", "sqlite_autoindex_context_1",
                          "sqlite_autoindex_logs_1", "sqlite_autoindex_message_ins_1",
                          "sqlite_autoindex_message_res_1", "sqlite_autoindex_node_1",
                          "sqlite_autoindex_public_key_1", "sqlite_autoindex_run_1"));
}

TEST_F(LinkStateFile, PendingRunsAreSeenByAnotherConnection) {
  LinkState state(db());
  state.add_pending_runs(2);
  LinkState other(db());
  EXPECT_EQ(other.run_status(1), RunStatus::kPending);
  EXPECT_EQ(other.run_status(3), std::nullopt);
  other.add_pending_runs(1);
  EXPECT_THAT(state.pending_runs(), ElementsAre(1u, 2u, 3u));
}

TEST_F(LinkStateFile, NodesAreWrittenToTheFile) {
  LinkState state(db());
  const std::uint64_t id = state.create_node(30);
  EXPECT_GT(id, 1u);
  LinkState other(db());
  EXPECT_TRUE(other.acknowledge_ping(id, 10));
  EXPECT_FALSE(other.acknowledge_ping(id + 1, 10));
  EXPECT_TRUE(other.delete_node(id));
  EXPECT_FALSE(state.delete_node(id));
}

TEST_F(LinkStateFile, HeaderOverwrittenIsNotADatabase) {
  LinkState state(db());
  {
    std::fstream file(db(), std::ios::in | std::ios::out | std::ios::binary);
    file << std::string(100, 'X');
  }
  EXPECT_EQ(python_error_of([&] { state.pending_runs(); }),
            "sqlite3.DatabaseError: file is not a database");
}

TEST_F(LinkStateFile, TruncatedFileHasNoRunTable) {
  LinkState state(db());
  std::filesystem::resize_file(db(), 0);
  EXPECT_EQ(python_error_of([&] { state.pending_runs(); }),
            "sqlite3.OperationalError: no such table: run");
}

TEST_F(LinkStateFile, DroppedRunTable) {
  LinkState state(db());
  SqliteConnection(db()).query("DROP TABLE run;");
  EXPECT_EQ(python_error_of([&] { state.pending_runs(); }),
            "sqlite3.OperationalError: no such table: run");
}

// Another connection's exclusive transaction: the query waits the busy timeout, then fails. The
// timeout is injected (Python's is 5 s, the default); the wait shows it is the one used.
TEST_F(LinkStateFile, ExclusiveLockElsewhereIsDatabaseLockedAfterTheBusyTimeout) {
  constexpr std::chrono::milliseconds kBusy{300};
  LinkState state(db(), kBusy);
  SqliteConnection locker(db());
  locker.query("BEGIN EXCLUSIVE;");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(python_error_of([&] { state.pending_runs(); }),
            "sqlite3.OperationalError: database is locked");
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, kBusy - std::chrono::milliseconds(20));
  EXPECT_LT(waited, kPythonBusyTimeout);
  locker.query("ROLLBACK;");
  EXPECT_THAT(state.pending_runs(), ElementsAre());
}

TEST_F(LinkStateFile, RemovedFileKeepsWorkingThroughTheOpenConnection) {
  LinkState state(db());
  state.add_pending_runs(1);
  std::filesystem::remove(db());
  EXPECT_THAT(state.pending_runs(), ElementsAre(1u));
}

TEST_F(LinkStateFile, StartUpFailuresAreSqlitesOwn) {
  EXPECT_EQ(python_error_of([&] { LinkState((dir_ / "missing" / "state.db").string()); }),
            "sqlite3.OperationalError: unable to open database file");
  std::ofstream(db()) << "this is a text file, not a SQLite database, and long enough to hold "
                         "what would be its header";
  EXPECT_EQ(python_error_of([&] { LinkState{db()}; }),
            "sqlite3.DatabaseError: file is not a database");
}

TEST(StateFactory, InMemoryStateIsSharedAndAFileGetsANewConnectionEachTime) {
  StateFactory memory(kInMemoryState);
  EXPECT_EQ(memory.state(), memory.state());
  memory.state()->add_pending_runs(1);
  EXPECT_THAT(memory.state()->pending_runs(), ElementsAre(1u));
  StateFactory plain_memory(":memory:");  // SQLite's own: a new, empty database each time
  plain_memory.state()->add_pending_runs(1);
  EXPECT_THAT(plain_memory.state()->pending_runs(), ElementsAre());
}

TEST(PythonSqliteException, MapsLikeCPython) {
  EXPECT_EQ(python_sqlite_exception(5), "sqlite3.OperationalError");   // SQLITE_BUSY
  EXPECT_EQ(python_sqlite_exception(26), "sqlite3.DatabaseError");     // SQLITE_NOTADB
  EXPECT_EQ(python_sqlite_exception(11), "sqlite3.DatabaseError");     // SQLITE_CORRUPT
  EXPECT_EQ(python_sqlite_exception(19), "sqlite3.IntegrityError");    // SQLITE_CONSTRAINT
  EXPECT_EQ(python_sqlite_exception(2067), "sqlite3.IntegrityError");  // ..._UNIQUE
}

}  // namespace
}  // namespace superlink
