// The real mock-superlink binary, started as a process: exit statuses, exit blocks, signals.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "flower_api/fleet.pb.h"
#include "superlink/state/sqlite_connection.h"
#include "superlink/testing/http_client.h"
#include "superlink/testing/spawned_process.h"
#include "superlink/testing/taken_port.h"
#include "test_support/test_directory.h"

namespace superlink {
namespace {

using test_support::ExitInfo;
using test_support::SpawnedProcess;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::chrono::seconds kSafety{20};

const std::string kCrashBlockTail =
    "An important background thread has crashed.\n\n"
    "For more information, visit: <https://flower.ai/docs/framework/ref-exit-codes/100.html>\n";

class SuperlinkProcess : public ::testing::Test {
 protected:
  std::string ready_path() const { return (dir_ / "ready.json").string(); }
  std::string journal_path() const { return (dir_ / "journal.jsonl").string(); }
  std::string database_path() const { return (dir_ / "state.db").string(); }

  // The mock with its state in database_path(), once its scheduler has opened it.
  std::unique_ptr<SpawnedProcess> start_on_database(std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), {"--database", database_path()});
    auto process = start(extra);
    EXPECT_TRUE(process->wait_for_file(ready_path(), kSafety)) << process->stderr_text();
    return process;
  }

  // The scheduler thread died of `cause`: exit 100, its cause in the documented ERROR record.
  static void expect_scheduler_died_of(SpawnedProcess& process, const std::string& cause) {
    const ExitInfo exit = process.wait_exit(kSafety);
    EXPECT_TRUE(exit.exited);
    EXPECT_EQ(exit.status, 100);
    EXPECT_THAT(
        process.stderr_text(),
        HasSubstr("ERROR :     Critical background thread 'scheduler' stopped: " + cause + "\n"));
  }

  // Every listener on 127.0.0.1 port 0, plus `extra`.
  std::unique_ptr<SpawnedProcess> start(std::vector<std::string> extra,
                                        std::vector<std::string> env = {}) {
    std::vector<std::string> argv{
        MOCK_SUPERLINK_BIN,   "--insecure",  "--serverappio-api-address", "127.0.0.1:0",
        "--exec-api-address", "127.0.0.1:0", "--fleet-api-address",       "127.0.0.1:0",
        "--ready-file",       ready_path()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    env.push_back("NO_COLOR=1");
    return std::make_unique<SpawnedProcess>(argv, env);
  }

  // The fleet port from the ready file.
  int fleet_port() const {
    const std::string json = test_support::read_file(ready_path());
    const std::string key = "\"fleet_api_address\":\"127.0.0.1:";
    const auto at = json.find(key);
    return at == std::string::npos ? 0 : std::atoi(json.c_str() + at + key.size());
  }

  test_support::TestDirectory dir_{"superlink_process_test"};
};

TEST_F(SuperlinkProcess, SchedulerPanicExits100WithTheBlock) {
  auto process = start({"--failpoint", "scheduler.tick=2*off->panic(database is locked)"});
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.status, 100);
  EXPECT_THAT(process->stderr_text(),
              HasSubstr("\nRuntimeError: database is locked\n"
                        "ERROR :     Critical background thread 'scheduler' stopped: database is "
                        "locked\nERROR :     Exit Code: 100\n\n" +
                        kCrashBlockTail));
  EXPECT_THAT(process->stderr_text(), HasSubstr("INFO :      Starting Flower SuperLink\n"));
}

TEST_F(SuperlinkProcess, RestPortTakenPrintsUvicornsLineAndExits100) {
  const test_support::TakenPort taken;
  ASSERT_TRUE(taken.bound);
  const std::string& port = taken.port;
  auto process = start(
      {"--isolation", "process", "--fleet-api-type", "rest", "--fleet-api-address", taken.address});
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_EQ(exit.status, 100);
  EXPECT_THAT(process->stderr_text(),
              HasSubstr("\nERROR:    [Errno 98] error while attempting to bind on address "
                        "('127.0.0.1', " +
                        port + "): address already in use\n"));
  EXPECT_THAT(process->stderr_text(),
              HasSubstr("ERROR :     Critical background thread 'rest' stopped without an "
                        "error\nERROR :     Exit Code: 100\n\n" +
                        kCrashBlockTail));
  EXPECT_THAT(process->stderr_text(), Not(HasSubstr("Traceback")));  // a quiet end
}

TEST_F(SuperlinkProcess, RestRequestPanicOnTheThirdRequest) {
  auto process =
      start({"--isolation", "process", "--fleet-api-type", "rest", "--failpoint",
             "rest.request=2*off->panic(third request)", "--fault-journal", journal_path()});
  ASSERT_TRUE(process->wait_for_file(ready_path(), kSafety)) << process->stderr_text();
  const int port = fleet_port();
  ASSERT_GT(port, 0);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(test_support::fleet_post("127.0.0.1", port, "create-node", "").status, 200);
  }
  test_support::fleet_post("127.0.0.1", port, "create-node", "");
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_EQ(exit.status, 100);
  EXPECT_THAT(process->stderr_text(),
              HasSubstr("Critical background thread 'rest' stopped: third request\n"));
  EXPECT_THAT(test_support::read_file(journal_path()), HasSubstr("rest.request"));
}

TEST_F(SuperlinkProcess, ReturnAtAThreadSiteStopsWithoutAnError) {
  auto process = start({"--failpoint", "scheduler.start=return"});
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_EQ(exit.status, 100);
  EXPECT_THAT(process->stderr_text(),
              HasSubstr("ERROR :     Critical background thread 'scheduler' stopped without an "
                        "error\n"));
}

TEST_F(SuperlinkProcess, NoCriticalThreadsStaysUpUntilSigterm) {
  auto process = start({"--isolation", "process", "--failpoint", "scheduler.tick=panic",
                        "--fault-journal", journal_path()});
  ASSERT_TRUE(process->wait_for_file(ready_path(), kSafety)) << process->stderr_text();
  EXPECT_THAT(test_support::read_file(ready_path()), HasSubstr("\"critical_threads\":[]"));
  ::kill(process->pid(), SIGTERM);
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_EQ(exit.status, 3);
  EXPECT_THAT(process->stderr_text(), HasSubstr("INFO :      SuperLink terminated gracefully.\n"));
  EXPECT_THAT(process->stderr_text(), Not(HasSubstr("Exit Code")));
  EXPECT_EQ(test_support::read_file(journal_path()), "");  // the site was never reached
}

TEST_F(SuperlinkProcess, EachSignalHasItsCode) {
  for (const auto& [signo, code] : {std::pair{SIGINT, 1}, {SIGQUIT, 2}, {SIGTERM, 3}}) {
    std::filesystem::remove(ready_path());
    auto process = start({"--fleet-api-type", "rest"});
    ASSERT_TRUE(process->wait_for_file(ready_path(), kSafety)) << process->stderr_text();
    ::kill(process->pid(), signo);
    const ExitInfo exit = process->wait_exit(kSafety);
    EXPECT_EQ(exit.status, code) << strsignal(signo);
    EXPECT_THAT(process->stderr_text(), HasSubstr("SuperLink terminated gracefully."));
  }
}

// Documented mode holds a signal that comes during start-up and exits gracefully once it is
// done, whichever moment of the held start-up the signal meets.
TEST_F(SuperlinkProcess, SignalDuringStartupIsGracefulInDocumentedMode) {
  auto process = start({"--failpoint", "superlink.startup=sleep(300)"});
  ASSERT_TRUE(process->wait_for_stderr("Starting Fleet API (gRPC-rere)", 1, kSafety))
      << process->stderr_text();
  ::kill(process->pid(), SIGTERM);
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.status, 3);
  EXPECT_THAT(process->stderr_text(), HasSubstr("INFO :      SuperLink terminated gracefully.\n"));
}

TEST_F(SuperlinkProcess, ScheduledRunsStartTheServerApp) {
  auto process = start({"--pending-runs", "2"});
  ASSERT_TRUE(process->wait_for_stderr(
      "mock-serverapp: run-once against ServerAppIo API 127.0.0.1:", 2, kSafety))
      << process->stderr_text();
  // The scheduler logs the launch after the spawn returns, so the child may print first.
  EXPECT_TRUE(process->wait_for_stderr("Launched ServerApp for run 2 (pid ", 1, kSafety))
      << process->stderr_text();
  ::kill(process->pid(), SIGTERM);
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_EQ(exit.status, 3);
}

TEST_F(SuperlinkProcess, AbortDiesBySigabrtWithTheJournalLine) {
  auto process = start({"--failpoint", "scheduler.tick=abort", "--fault-journal", journal_path()});
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_FALSE(exit.exited);
  EXPECT_EQ(exit.signal, SIGABRT);
  EXPECT_THAT(test_support::read_file(journal_path()), HasSubstr("\"site\":\"scheduler.tick\""));
  EXPECT_THAT(process->stderr_text(),
              HasSubstr("ERROR :     Fatal signal SIGABRT in thread 'scheduler'\n"));
}

TEST_F(SuperlinkProcess, FlowerModeExitsOneForACrashAndZeroForASignal) {
  auto crash = start({"--exit-status", "flower", "--failpoint", "scheduler.start=panic(x)"});
  EXPECT_EQ(crash->wait_exit(kSafety).status, 1);
  EXPECT_THAT(crash->stderr_text(), HasSubstr("Exit Code: 100\n"));
  std::filesystem::remove(ready_path());
  auto graceful = start({"--exit-status", "flower"});
  ASSERT_TRUE(graceful->wait_for_file(ready_path(), kSafety));
  ::kill(graceful->pid(), SIGINT);
  EXPECT_EQ(graceful->wait_exit(kSafety).status, 0);
}

TEST_F(SuperlinkProcess, FlowerModeExitsOneForBadArgumentsToo) {
  // --exit-status is honoured even when the rest of the command line does not parse.
  auto process = start({"--exit-status", "flower", "--no-such-flag"});
  EXPECT_EQ(process->wait_exit(kSafety).status, 1);
  EXPECT_THAT(process->stderr_text(), HasSubstr("Exit Code: 104\n"));
}

TEST_F(SuperlinkProcess, BadFailpointExits104BeforeStarting) {
  auto process = start({"--failpoint", "scheduler.tik=panic"});
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_EQ(exit.status, 104);
  EXPECT_THAT(process->stderr_text(),
              HasSubstr("ERROR :     Exit Code: 104\nfailpoint 'scheduler.tik'"));
  EXPECT_THAT(process->stderr_text(), Not(HasSubstr("Starting Flower SuperLink")));
}

TEST_F(SuperlinkProcess, BadAddressExits88WithThe600Block) {
  auto process = start({"--fleet-api-address", "127.0.0.1:http"});
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_EQ(exit.status, 88);
  EXPECT_THAT(process->stderr_text(),
              HasSubstr("ERROR :     Exit Code: 600\nAddress (127.0.0.1:http) cannot be parsed.\n"
                        "Please provide a valid URL, IPv4 or IPv6 address.\n\nFor more "
                        "information, visit: <https://flower.ai/docs/framework/ref-exit-codes/"
                        "600.html>\n"));
  EXPECT_FALSE(std::filesystem::exists(ready_path()));
}

// The database faults the real 1.18 dies of, made to the real file under the running mock.
TEST_F(SuperlinkProcess, DatabaseHeaderOverwrittenKillsTheScheduler) {
  auto process = start_on_database();
  {
    std::fstream file(database_path(), std::ios::in | std::ios::out | std::ios::binary);
    file << std::string(100, '\xff');
  }
  expect_scheduler_died_of(*process, "file is not a database");
}

TEST_F(SuperlinkProcess, DatabaseTruncatedKillsTheScheduler) {
  auto process = start_on_database();
  std::filesystem::resize_file(database_path(), 0);
  expect_scheduler_died_of(*process, "no such table: run");
}

TEST_F(SuperlinkProcess, DatabaseRunTableDroppedKillsTheScheduler) {
  auto process = start_on_database();
  SqliteConnection(database_path()).query("DROP TABLE run;");
  expect_scheduler_died_of(*process, "no such table: run");
}

// This test process holds the exclusive lock: the mock's query waits its 5 s busy timeout.
TEST_F(SuperlinkProcess, DatabaseLockedByAnotherProcessKillsTheSchedulerAfterTheBusyTimeout) {
  auto process = start_on_database();
  SqliteConnection locker(database_path());
  // Read before the lock is taken: the mock's busy wait cannot begin before it exists.
  const auto locked = std::chrono::steady_clock::now();
  locker.query("BEGIN EXCLUSIVE;");
  expect_scheduler_died_of(*process, "database is locked");
  EXPECT_GE(std::chrono::steady_clock::now() - locked, std::chrono::milliseconds(4900));
}

// The open connection keeps the removed file: three more ticks query it, then SIGTERM ends it.
TEST_F(SuperlinkProcess, DatabaseRemovedIsNoCrash) {
  auto process = start_on_database({"--failpoint", "scheduler.tick=print(tick)"});
  const std::string tick = "failpoint scheduler.tick: tick";
  ASSERT_TRUE(process->wait_for_stderr(tick, 1, kSafety)) << process->stderr_text();
  std::filesystem::remove(database_path());
  int seen = 0;
  for (auto at = process->stderr_text().find(tick); at != std::string::npos;
       at = process->stderr_text().find(tick, at + 1)) {
    ++seen;
  }
  ASSERT_TRUE(process->wait_for_stderr(tick, seen + 3, kSafety)) << process->stderr_text();
  ::kill(process->pid(), SIGTERM);
  EXPECT_EQ(process->wait_exit(kSafety).status, 3) << process->stderr_text();
  EXPECT_THAT(process->stderr_text(), Not(HasSubstr("Exit Code")));
}

// Flower opens the state in the scheduler thread, so a bad path kills that thread (exit 100),
// not the start-up.
TEST_F(SuperlinkProcess, DatabaseInAMissingFolderKillsTheSchedulerAtItsStart) {
  auto process = start({"--database", (dir_ / "missing" / "state.db").string()});
  expect_scheduler_died_of(*process, "unable to open database file");
  EXPECT_THAT(process->stderr_text(), HasSubstr("Flower ECE: Starting ServerAppIo API"));
}

TEST_F(SuperlinkProcess, DatabaseThatIsNotSqliteKillsTheSchedulerAtItsStart) {
  std::ofstream(database_path()) << std::string(200, 'x');
  auto process = start({"--database", database_path()});
  expect_scheduler_died_of(*process, "file is not a database");
  EXPECT_EQ(test_support::read_file(database_path()), std::string(200, 'x'));  // left as it was
}

TEST_F(SuperlinkProcess, DatabaseHoldsPendingRunsAndTheNodesRestCreates) {
  auto process = start_on_database({"--fleet-api-type", "rest", "--pending-runs", "2"});
  ASSERT_TRUE(process->wait_for_stderr("Launched ServerApp for run 2 (pid ", 1, kSafety))
      << process->stderr_text();
  const auto reply = test_support::fleet_post("127.0.0.1", fleet_port(), "create-node", "");
  ASSERT_EQ(reply.status, 200);
  flwr::proto::CreateNodeResponse created;
  ASSERT_TRUE(created.ParseFromString(reply.body));
  SqliteConnection reader(database_path());
  const auto nodes = reader.query("SELECT node_id FROM node;");
  ASSERT_EQ(nodes.size(), 1u);
  EXPECT_EQ(static_cast<std::uint64_t>(std::get<std::int64_t>(nodes[0][0])),
            created.node().node_id());
  EXPECT_EQ(reader.query("SELECT run_id FROM run WHERE starting_at = '';").size(), 2u);
  ::kill(process->pid(), SIGTERM);
  EXPECT_EQ(process->wait_exit(kSafety).status, 3);
}

}  // namespace
}  // namespace superlink
