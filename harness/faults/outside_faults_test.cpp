// Outside faults on real SQLite files, and in runs of a custom target that is not a SuperLink
// (`sh -c` polling its folder), with the journal lines the harness writes for them.
#include "outside_faults.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "database_faults.h"
#include "engine/journal_reader.h"
#include "engine/target_command.h"
#include "harness/run.h"
#include "port_allocator.h"

namespace harness {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class TempDir {
 public:
  TempDir() {
    std::string pattern = std::filesystem::temp_directory_path().string() + "/outside-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp");
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A connection like the mock's: open for the whole test, busy timeout 0 by default so a lock
// shows at once.
class Connection {
 public:
  explicit Connection(const std::string& path, int busy_timeout_ms = 0) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    sqlite3_busy_timeout(db_, busy_timeout_ms);
  }
  ~Connection() { sqlite3_close(db_); }
  int exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }
  std::string error() const { return sqlite3_errmsg(db_); }

 private:
  sqlite3* db_ = nullptr;
};

class DatabaseFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(target_.exec("CREATE TABLE run(run_id INTEGER); INSERT INTO run VALUES (1);"),
              SQLITE_OK);
    ASSERT_EQ(target_.exec("SELECT * FROM run;"), SQLITE_OK);
  }
  TempDir dir_;
  const std::string path_ = database_path(dir_.path());
  Connection target_{path_};
};

TEST_F(DatabaseFaultTest, TheLockBlocksAnotherConnectionUntilUnlocked) {
  DatabaseLock lock(path_, std::chrono::milliseconds(0));
  EXPECT_EQ(target_.exec("SELECT * FROM run;"), SQLITE_BUSY);
  EXPECT_EQ(target_.error(), "database is locked");
  lock.unlock();
  EXPECT_EQ(target_.exec("SELECT * FROM run;"), SQLITE_OK);
}

TEST_F(DatabaseFaultTest, TheLockEndsWithItsObject) {
  { DatabaseLock lock(path_, std::chrono::milliseconds(0)); }
  EXPECT_EQ(target_.exec("SELECT * FROM run;"), SQLITE_OK);
}

TEST_F(DatabaseFaultTest, CorruptionReachesAnOpenConnection) {
  damage_database(path_, Damage::kZeroHeader, std::chrono::milliseconds(0));
  EXPECT_EQ(target_.exec("SELECT * FROM run;"), SQLITE_NOTADB);
  EXPECT_EQ(target_.error(), "file is not a database");
}

TEST_F(DatabaseFaultTest, TruncationLeavesAnEmptyDatabase) {
  damage_database(path_, Damage::kTruncate, std::chrono::milliseconds(0));
  EXPECT_EQ(std::filesystem::file_size(path_), 0u);
  EXPECT_EQ(target_.exec("SELECT * FROM run;"), SQLITE_ERROR);
  EXPECT_EQ(target_.error(), "no such table: run");
}

// A commit in progress would write page 1 back over the damage: the damage waits for it, and
// names the lock when it cannot wait.
TEST_F(DatabaseFaultTest, DamageIsNeverDoneDuringTheTargetsTransaction) {
  ASSERT_EQ(target_.exec("BEGIN IMMEDIATE; INSERT INTO run VALUES (2);"), SQLITE_OK);
  for (const Damage damage : {Damage::kZeroHeader, Damage::kTruncate}) {
    try {
      damage_database(path_, damage, std::chrono::milliseconds(0));
      ADD_FAILURE() << "damaged during the transaction";
    } catch (const std::runtime_error& error) {
      EXPECT_EQ(error.what(), "cannot lock " + path_ + ": database is locked");
    }
  }
  ASSERT_EQ(target_.exec("COMMIT;"), SQLITE_OK);
  EXPECT_EQ(target_.exec("SELECT * FROM run;"), SQLITE_OK);  // nothing was damaged
}

// Under the harness's own lock the damage goes through that lock's descriptor, and the lock
// stays held: closing a second descriptor would have dropped it.
TEST_F(DatabaseFaultTest, DamageUnderTheHarnesssLockKeepsTheLock) {
  DatabaseLock lock(path_, std::chrono::milliseconds(0));
  lock.damage(Damage::kZeroHeader);
  EXPECT_EQ(target_.exec("SELECT * FROM run;"), SQLITE_BUSY);
  lock.unlock();
  EXPECT_EQ(target_.exec("SELECT * FROM run;"), SQLITE_NOTADB);
}

TEST_F(DatabaseFaultTest, RemovalLeavesOpenConnectionsWorking) {
  remove_database(path_, std::chrono::milliseconds(0));
  EXPECT_FALSE(std::filesystem::exists(path_));
  EXPECT_EQ(target_.exec("SELECT * FROM run;"), SQLITE_OK);
}

TEST(DatabaseFaults, AFileNeverCreatedIsNamed) {
  TempDir dir;
  const std::string path = database_path(dir.path());
  const std::string why = "no database file at " + path + ": the target has not created it";
  const std::vector<std::function<void()>> faults = {
      [&] { damage_database(path, Damage::kZeroHeader, std::chrono::milliseconds(0)); },
      [&] { damage_database(path, Damage::kTruncate, std::chrono::milliseconds(0)); },
      [&] { remove_database(path, std::chrono::milliseconds(0)); }};
  for (const auto& fault : faults) {
    try {
      fault();
      ADD_FAILURE() << "no error";
    } catch (const std::runtime_error& error) {
      EXPECT_EQ(error.what(), why);
    }
  }
  EXPECT_THROW(DatabaseLock(path, std::chrono::milliseconds(0)), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(path));  // the lock did not create it
}

// A target that has opened its file but not yet written its schema: zeroed or truncated now,
// the file would be a fresh database to SQLite, and the target's first commit would undo the
// damage. The damage waits for the first page, and says so when it does not come.
TEST(DatabaseFaults, AnEmptyFileIsWaitedForUntilTheTargetWritesIt) {
  TempDir dir;
  const std::string path = database_path(dir.path());
  // The mock's 5 s busy timeout, made longer: its schema may wait for the damage's lock.
  Connection target(path, 30'000);
  ASSERT_EQ(target.exec("PRAGMA user_version;"), SQLITE_OK);  // opened: the file exists, empty
  ASSERT_EQ(std::filesystem::file_size(path), 0u);
  try {
    damage_database(path, Damage::kZeroHeader, std::chrono::milliseconds(0));
    ADD_FAILURE() << "damaged an empty file";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(error.what(), "no database in " + path +
                                " after 0 ms: the target created the file but has not written it");
  }
  std::string damage_error;
  std::thread damaging([&] {
    try {
      damage_database(path, Damage::kZeroHeader, std::chrono::milliseconds(30'000));
    } catch (const std::exception& error) {
      damage_error = error.what();
    }
  });
  // Before or after the damage has looked: either way the damage comes after the schema.
  EXPECT_EQ(target.exec("CREATE TABLE run(run_id INTEGER);"), SQLITE_OK) << target.error();
  damaging.join();
  EXPECT_EQ(damage_error, "");
  EXPECT_EQ(target.exec("SELECT * FROM run;"), SQLITE_NOTADB);
}

// A file the target has opened but not written yet is removed only once its schema is in: the
// target's first write on an unlinked file would fail ("attempt to write a readonly
// database"), a crash the real SuperLink, whose schema is in before anything can remove it,
// never has.
TEST(DatabaseFaults, RemovalWaitsUntilTheTargetHasWrittenTheFile) {
  TempDir dir;
  const std::string path = database_path(dir.path());
  Connection target(path, 30'000);
  ASSERT_EQ(target.exec("PRAGMA user_version;"), SQLITE_OK);  // opened: the file exists, empty
  std::string remove_error;
  std::thread removing([&] {
    try {
      remove_database(path, std::chrono::milliseconds(30'000));
    } catch (const std::exception& error) {
      remove_error = error.what();
    }
  });
  // Before or after the removal has looked: either way the removal comes after the schema.
  EXPECT_EQ(target.exec("CREATE TABLE run(run_id INTEGER);"), SQLITE_OK) << target.error();
  removing.join();
  EXPECT_EQ(remove_error, "");
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_EQ(target.exec("SELECT * FROM run;"), SQLITE_OK);
}

TEST(OutsideJournal, LinesHaveTheRuntimesFields) {
  const std::string line =
      outside_journal_line(2, "outside.database.lock", "lock", "/x/state.db", 1234);
  EXPECT_EQ(line,
            "{\"hit\":2,\"site\":\"outside.database.lock\",\"task\":\"lock\",\"arg\":"
            "\"/x/state.db\",\"thread\":\"harness\",\"seed\":0,\"mono_ns\":1234,\"pid\":" +
                std::to_string(::getpid()) + "}\n");
  const auto entries = parse_journal(line);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].site, "outside.database.lock");
  EXPECT_EQ(entries[0].pid, ::getpid());
}

// Runs of `sh -c SCRIPT` in `dir` (the run's folder): a target that is not a SuperLink.
class OutsideRunTest : public ::testing::Test {
 protected:
  Scenario shell(const std::string& script) {
    Scenario scenario;
    scenario.name = "outside";
    scenario.superlink.command = {"sh", "-c", script};
    scenario.superlink.ready = Readiness::None;
    scenario.superlink.database = "file";
    scenario.timeout = std::chrono::seconds(20);
    return scenario;
  }
  static Event at_start(Event event) {
    event.at = Event::Anchor::Start;
    return event;
  }
  static Event database(const std::string& fault) {
    Event event;
    event.action = DatabaseEvent{fault};
    return at_start(event);
  }
  static Event command(std::vector<std::string> argv) {
    Event event;
    event.action = RunEvent{std::move(argv)};
    return at_start(event);
  }
  RunResult run(const Scenario& scenario) {
    RunOptions options;
    options.work_dir = dir_.path();
    return run_scenario(scenario, options);
  }
  std::string cd() const { return "cd '" + dir_.path() + "' && "; }
  // The target copies in a real database and says so: then the event may come.
  std::string make_db() const { return cd() + "cp '" + seed_db_ + "' state.db; echo up; "; }

  void SetUp() override {
    ASSERT_EQ(Connection(seed_db_).exec("CREATE TABLE run(run_id INTEGER);"), SQLITE_OK);
  }

  TempDir dir_;
  TempDir seed_;
  const std::string seed_db_ = seed_.path() + "/seed.db";
};

TEST_F(OutsideRunTest, EachDatabaseFaultReachesTheFileAndIsJournalled) {
  const std::map<std::string, std::string> waits = {
      {"corrupt", "until [ \"$(head -c 6 state.db)\" != SQLite ]"},
      {"truncate", "while [ -s state.db ]"},
      {"remove", "while [ -e state.db ]"},
  };
  for (const auto& [fault, wait] : waits) {
    SCOPED_TRACE(fault);
    Scenario scenario = shell(make_db() + wait + "; do sleep 0.01; done; exit 7");
    scenario.events = {database(fault)};
    const RunResult result = run(scenario);
    EXPECT_EQ(result.end.kind, Termination::Kind::Exited);
    EXPECT_EQ(result.end.code, 7);
    ASSERT_EQ(result.events.size(), 1u);
    EXPECT_EQ(result.events[0].error, "");
    ASSERT_EQ(result.journal.size(), 1u);
    EXPECT_EQ(result.journal[0].site, "outside.database." + fault);
    EXPECT_EQ(result.journal[0].thread, "harness");
    EXPECT_EQ(result.journal[0].pid, ::getpid());
  }
}

TEST_F(OutsideRunTest, LockAndUnlockAreJournalledInOrder) {
  Scenario scenario = shell(make_db() + "exec sleep 30");
  scenario.expect.still_running = true;
  scenario.expect.hold = Millis{0};
  Event unlock = database("unlock");
  unlock.at = Event::Anchor::Fired;
  unlock.fired_site = "outside.database.lock";
  scenario.events = {database("lock"), unlock};
  const RunResult result = run(scenario);
  ASSERT_EQ(result.events.size(), 2u);
  EXPECT_THAT(result.events[0].did, StartsWith("locked " + database_path(dir_.path())));
  EXPECT_EQ(result.events[1].did, "unlocked " + database_path(dir_.path()));
  ASSERT_EQ(result.journal.size(), 2u);
  EXPECT_EQ(result.journal[0].site, "outside.database.lock");
  EXPECT_EQ(result.journal[1].site, "outside.database.unlock");
  EXPECT_LE(result.journal[0].mono_ns, result.journal[1].mono_ns);
}

TEST_F(OutsideRunTest, AFaultOnADatabaseNeverCreatedIsNotDone) {
  Scenario scenario = shell("echo up; exec sleep 30");
  scenario.expect.still_running = true;
  scenario.expect.hold = Millis{0};
  scenario.events = {database("lock")};
  const RunResult result = run(scenario);
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_TRUE(result.events[0].unsent);
  EXPECT_EQ(result.events[0].error, "no database file at " + database_path(dir_.path()) +
                                        ": the target has not created it");
  EXPECT_TRUE(result.journal.empty());
}

TEST_F(OutsideRunTest, ACommandRunsInTheRunsFolderWithItsEnvironment) {
  Scenario scenario = shell("echo up; exec sleep 30");
  scenario.expect.still_running = true;
  scenario.expect.hold = Millis{0};
  scenario.superlink.env = {{"OUTSIDE_TEST", "yes"}};
  scenario.events = {command({"sh", "-c", "pwd; echo $OUTSIDE_TEST; echo err >&2"}),
                     command({"sh", "-c", "echo no; exit 3"})};
  const RunResult result = run(scenario);
  ASSERT_EQ(result.events.size(), 2u);
  EXPECT_EQ(result.events[0].body, dir_.path() + "\nyes\nerr\n");
  EXPECT_EQ(result.events[0].did, "exited with status 0");
  EXPECT_FALSE(result.events[0].unsent);
  EXPECT_TRUE(result.events[1].unsent);
  EXPECT_EQ(result.events[1].error, "exited with status 3");
  EXPECT_EQ(result.events[1].body, "no\n");
  ASSERT_EQ(result.journal.size(), 2u);
  EXPECT_EQ(result.journal[0].site, "outside.run");
  EXPECT_EQ(result.journal[0].arg, "sh -c pwd; echo $OUTSIDE_TEST; echo err >&2");
}

TEST_F(OutsideRunTest, ACommandNotFoundIsNotDone) {
  Scenario scenario = shell("echo up; exec sleep 30");
  scenario.expect.still_running = true;
  scenario.expect.hold = Millis{0};
  scenario.events = {command({"no-such-program-outside-test"})};
  const RunResult result = run(scenario);
  ASSERT_EQ(result.events.size(), 1u);
  EXPECT_TRUE(result.events[0].unsent);
  EXPECT_EQ(result.events[0].error,
            "cannot run 'no-such-program-outside-test': No such file or directory");
  EXPECT_TRUE(result.journal.empty());
}

// A port nobody holds, as a harness-allocated one would be until the target binds it.
TEST_F(OutsideRunTest, OccupyListensOnTheTargetsAddressUntilReleased) {
  // Leased (below the ephemeral range) for the test: no connect() elsewhere can take it first.
  const PortLeases lease = allocate_ports({"fleet"});
  const std::string port = std::to_string(lease.ports().at("fleet"));
  Scenario scenario = shell("printf '{\"addresses\": {\"fleet\": \"127.0.0.1:" + port +
                            "\"}}' > \"$SUPERLINK_READY_FILE\"; exec sleep 30");
  scenario.superlink.ready = Readiness::File;
  scenario.expect.still_running = true;
  scenario.expect.hold = Millis{0};
  const std::vector<std::string> connect = {"bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port};
  Event occupy;
  occupy.action = OccupyEvent{"fleet"};
  Event release;
  release.action = ReleaseEvent{"fleet"};
  Event first;
  first.action = RunEvent{connect};
  Event second = first;
  scenario.events = {occupy, first, release, second};
  const RunResult result = run(scenario);
  ASSERT_EQ(result.events.size(), 4u);
  EXPECT_EQ(result.events[0].error, "");
  EXPECT_EQ(result.events[0].did,
            "listening on 127.0.0.1:" + port + " (the target's fleet address)");
  EXPECT_EQ(result.events[1].error, "");  // something listens: the connection is accepted
  EXPECT_EQ(result.events[2].did, "closed the fleet socket");
  EXPECT_TRUE(result.events[3].unsent);  // refused once released
  EXPECT_THAT(result.events[3].body, HasSubstr("Connection refused"));
  ASSERT_EQ(result.journal.size(), 4u);
  EXPECT_EQ(result.journal[0].site, "outside.occupy.fleet");
  EXPECT_EQ(result.journal[2].site, "outside.release.fleet");
}

}  // namespace
}  // namespace harness
