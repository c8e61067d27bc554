// The CLI's argument handling, selection and exit statuses, driven through run_cli with captured
// streams and a backend whose scenarios live in memory.
#include "cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>

namespace harness::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A catalogue in memory: "cat" is a folder holding every scenario; a file path names one.
// The description says how the run goes: "pass", "fail", "error" (harness error), or
// "fail-on-N" (fails from its Nth run on).
class FakeCatalogue {
 public:
  void add(std::string group, std::string name, std::string behaviour) {
    Scenario s;
    s.group = std::move(group);
    s.name = std::move(name);
    s.file = "cat/" + s.group + "/" + s.name + ".toml";
    s.description = std::move(behaviour);
    scenarios_[s.file] = s;
  }
  void add_broken(std::string file, std::string message) { broken_[file] = std::move(message); }
  Scenario& at(const std::string& file) { return scenarios_.at(file); }

  Backend backend() {
    Backend b;
    b.find = [this](const std::vector<std::filesystem::path>& paths) {
      std::vector<std::filesystem::path> out;
      for (const auto& p : paths) {
        if (p == "cat" || p == "scenarios") {
          for (const auto& [file, s] : scenarios_) out.emplace_back(file);
          for (const auto& [file, m] : broken_) out.emplace_back(file);
        } else if (scenarios_.count(p.string()) || broken_.count(p.string())) {
          out.push_back(p);
        } else {
          throw std::runtime_error(p.string() + ": no such file or folder");
        }
      }
      return out;
    };
    b.load = [this](const std::filesystem::path& file) {
      if (broken_.count(file.string())) throw std::runtime_error(broken_.at(file.string()));
      return scenarios_.at(file.string());
    };
    b.run = [this](const Scenario& s, const RunOptions& options) {
      int n = 0;
      {
        std::unique_lock lock(mutex_);
        n = ++runs_[s.name];
        last_options_ = options;
        if (concurrency_gate_ > 0) {
          ++arrived_;
          gate_.notify_all();
          // Safety net only: the test fails if the pool never runs them together.
          gate_.wait_for(lock, std::chrono::seconds(10),
                         [this] { return arrived_ >= concurrency_gate_; });
          met_together_ = met_together_ || arrived_ >= concurrency_gate_;
        }
      }
      RunResult r;
      r.argv = {"/b/bin/mock-superlink", "--insecure"};
      // The seed the run used: --seed's, or one the harness picked for "unlucky".
      if (options.seed) r.argv.insert(r.argv.end(), {"--seed", std::to_string(*options.seed)});
      if (!options.seed && s.name == "unlucky") r.argv.insert(r.argv.end(), {"--seed", "99"});
      r.end.kind = Termination::Kind::Exited;
      r.exit_at = std::chrono::milliseconds(10 * n);
      r.wall = std::chrono::milliseconds(20);
      if (s.description == "error") r.harness_error = "cannot spawn";
      LogLine line{Stream::Stderr, std::chrono::milliseconds(3), "INFO :      hello",
                   "INFO :      hello"};
      r.log.head = {line};
      if (options.on_line) options.on_line(line);
      return r;
    };
    b.judge = [this](const Scenario& s, const RunResult&) {
      Verdict v;
      int n = 0;
      {
        std::lock_guard lock(mutex_);
        n = runs_[s.name];
      }
      v.passed = s.description == "pass" ||
                 (s.description.starts_with("fail-on-") && n < std::stoi(s.description.substr(8)));
      v.ending = "exited with status 0";
      v.expected_ending = v.passed ? "exit status 0" : "exit status 100";
      if (!v.passed) v.failures.push_back({"exit status 100", "exited with status 0", {}, ""});
      return v;
    };
    return b;
  }

  std::map<std::string, int> runs_;  // guarded by mutex_ while the CLI runs
  RunOptions last_options_;
  int concurrency_gate_ = 0;
  bool met_together_ = false;

 private:
  std::map<std::string, Scenario> scenarios_;
  std::map<std::string, std::string> broken_;
  std::mutex mutex_;
  std::condition_variable gate_;
  int arrived_ = 0;
};

struct Outcome {
  int status;
  std::string out;
  std::string err;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    catalogue_.add("scheduler", "tick_panic", "pass");
    catalogue_.add("scheduler", "start_return", "pass");
    catalogue_.add("rest", "bind_taken", "pass");
    catalogue_.add("signals", "sigterm", "pass");
  }

  Outcome cli(std::vector<std::string> args) {
    args.insert(args.begin(), "superlink-harness");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    std::ostringstream out;
    std::ostringstream err;
    Environment env{[this](const char* name) -> const char* {
                      auto it = env_.find(name);
                      return it == env_.end() ? nullptr : it->second.c_str();
                    },
                    tty_};
    const int status =
        run_cli(static_cast<int>(argv.size()), argv.data(), out, err, catalogue_.backend(), env);
    return {status, out.str(), err.str()};
  }

  int total_runs() {
    int n = 0;
    for (auto& [name, count] : catalogue_.runs_) n += count;
    return n;
  }

  FakeCatalogue catalogue_;
  std::map<std::string, std::string> env_;
  bool tty_ = false;
};

TEST_F(CliTest, NoCommandIsAUsageError) {
  const Outcome o = cli({});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "superlink-harness: A subcommand is required\n"
            "Run 'superlink-harness --help' for usage.\n");
}

// A mistyped command is named, with the nearest one.
TEST_F(CliTest, AnUnknownCommandIsNamedWithTheNearestOne) {
  Outcome o = cli({"rnu", "cat"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "superlink-harness: unknown command 'rnu'; did you mean 'run'? (commands: run, list, "
            "check, repro, coverage)\nRun 'superlink-harness --help' for usage.\n");
  o = cli({"--jobs", "4", "lsit"});
  EXPECT_THAT(o.err, HasSubstr("unknown command 'lsit'; did you mean 'list'?"));
  EXPECT_EQ(total_runs(), 0);
}

// `run --help` shows the options run takes, with their defaults, and the exit statuses.
TEST_F(CliTest, RunHelpListsItsOptions) {
  const Outcome o = cli({"run", "--help"});
  EXPECT_EQ(o.status, 0);
  EXPECT_THAT(o.out, HasSubstr("superlink-harness run"));
  EXPECT_THAT(o.out, HasSubstr("-j,--jobs INT:INT in [1 - 256]=32"));
  EXPECT_THAT(o.out, HasSubstr("--until-fail"));
  EXPECT_THAT(o.out, HasSubstr("--flower-version"));
  EXPECT_THAT(o.out, HasSubstr("Exit status: 0 every selected scenario passed"));
}

TEST_F(CliTest, HelpExitsZero) {
  const Outcome o = cli({"--help"});
  EXPECT_EQ(o.status, 0);
  EXPECT_THAT(o.out, HasSubstr("--until-fail"));
  EXPECT_EQ(o.err, "");
}

TEST_F(CliTest, BadOptionsNameTheOption) {
  const std::string hint = "Run 'superlink-harness --help' for usage.\n";
  Outcome o = cli({"run", "cat", "--jobs", "0"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "superlink-harness: --jobs: Value 0 not in range 1 to 256\n" + hint);
  o = cli({"run", "cat", "--color", "purple"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "superlink-harness: --color: purple not in {auto,always,never}\n" + hint);
  o = cli({"run", "cat", "--frobnicate"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "superlink-harness: The following argument was not expected: --frobnicate\n" + hint);
  o = cli({"run", "cat", "--repeat", "many"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "superlink-harness: --repeat: Value many not in range 1 to 1000000\n" + hint);
  o = cli({"run"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "superlink-harness: paths is required\n" + hint);
  EXPECT_EQ(total_runs(), 0);
}

TEST_F(CliTest, AllPassExitsZeroWithSummary) {
  const Outcome o = cli({"run", "cat"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("PASS  rest/bind_taken  (10 ms to exit)\n"));
  EXPECT_THAT(o.out, HasSubstr("\nscenario                verdict  to exit  fired\n"
                               "rest/bind_taken         PASS     10 ms    -\n"));
  EXPECT_THAT(o.out, HasSubstr("\nslowest (wall time):\n"));
  EXPECT_THAT(o.out, ::testing::EndsWith("\n4 passed, 0 failed\n"));
  EXPECT_EQ(total_runs(), 4);
}

// Each verdict line carries its place, as ctest shows it: the Nth to end of all.
TEST_F(CliTest, EachVerdictLineCarriesItsProgress) {
  const Outcome o = cli({"run", "cat", "--jobs", "1", "--repeat", "2"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("[1/8] PASS  rest/bind_taken  (10 ms to exit)\n"));
  EXPECT_THAT(o.out, HasSubstr("[4/8] PASS  signals/sigterm  ("));
  EXPECT_THAT(o.out, HasSubstr("[8/8] PASS  signals/sigterm  ("));
}

// One scenario: its verdict and the count, no table of one row and no "slowest" list of one.
TEST_F(CliTest, OneScenarioPrintsNoTable) {
  const Outcome o = cli({"run", "cat/rest/bind_taken.toml"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out, "[1/1] PASS  rest/bind_taken  (10 ms to exit)\n\n1 passed, 0 failed\n");
}

// A skipped run ran nothing: it is not among the slowest.
TEST_F(CliTest, SkippedRunsAreNotAmongTheSlowest) {
  catalogue_.at("cat/rest/bind_taken.toml").versions = {"1.18"};
  const Outcome o = cli({"run", "cat", "--flower-version", "1.26"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("SKIP  rest/bind_taken"));
  const std::string slowest = o.out.substr(o.out.find("slowest (wall time):"));
  EXPECT_THAT(slowest, Not(HasSubstr("rest/bind_taken"))) << o.out;
  EXPECT_THAT(slowest, HasSubstr("signals/sigterm"));
}

// The recap's rerun command repeats what the run was given, and the seed it used, picked by the
// harness or not.
TEST_F(CliTest, TheRecapRerunsTheRunExactly) {
  catalogue_.add("rest", "wrong", "fail");
  catalogue_.add("rest", "unlucky", "fail");
  Outcome o = cli({"run", "cat", "--target", "/x/my mock", "--flower-version", "1.18"});
  EXPECT_EQ(o.status, 1);
  EXPECT_THAT(o.out, HasSubstr("rerun: superlink-harness run cat/rest/wrong.toml --target '/x/my "
                               "mock' --flower-version 1.18\n"));
  EXPECT_THAT(o.out, HasSubstr("rerun: superlink-harness run cat/rest/unlucky.toml --target '/x/my "
                               "mock' --flower-version 1.18 --seed 99\n"));
  catalogue_.at("cat/rest/wrong.toml").superlink.kind = TargetKind::Flower;
  o = cli({"run", "cat/rest/wrong.toml", "--target-kind", "flower", "--seed", "7"});
  EXPECT_THAT(o.out, HasSubstr("rerun: superlink-harness run cat/rest/wrong.toml --target-kind "
                               "flower --seed 7\n"));
}

TEST_F(CliTest, OneFailureExitsOneWithItsReport) {
  catalogue_.add("rest", "wrong", "fail");
  const Outcome o = cli({"run", "cat"});
  EXPECT_EQ(o.status, 1);
  EXPECT_THAT(o.out, HasSubstr("FAIL  rest/wrong  (expected exit status 100, got exited with "
                               "status 0)\n  scenario: rest/wrong\n"));
  EXPECT_THAT(o.out, HasSubstr("  rerun:\n    /b/bin/mock-superlink --insecure\n"));
  EXPECT_THAT(o.out, ::testing::EndsWith(
                         "\nnot passed:\n"
                         "  FAIL  rest/wrong: expected exit status 100, got exited with status 0\n"
                         "         rerun: superlink-harness run cat/rest/wrong.toml\n"
                         "\n4 passed, 1 failed\n"));
}

TEST_F(CliTest, HarnessErrorExitsTwo) {
  catalogue_.add("rest", "broken_run", "error");
  catalogue_.add("rest", "wrong", "fail");
  const Outcome o = cli({"run", "cat"});
  EXPECT_EQ(o.status, 2);
  EXPECT_THAT(o.out, HasSubstr("ERROR rest/broken_run  (harness error: cannot spawn)\n"));
  EXPECT_THAT(o.out, HasSubstr("\nnot passed:\n"
                               "  ERROR  rest/broken_run: harness error: cannot spawn\n"));
  EXPECT_THAT(o.out, ::testing::EndsWith("\n1 harness error(s)\n4 passed, 2 failed\n"));
}

TEST_F(CliTest, AFileThatDoesNotParseStopsEverything) {
  catalogue_.add_broken("cat/rest/bad.toml", "cat/rest/bad.toml:3:7: unknown key 'exit_cod'");
  catalogue_.add_broken("cat/rest/worse.toml", "cat/rest/worse.toml:1:1: expected '='");
  const Outcome o = cli({"run", "cat"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "cat/rest/bad.toml:3:7: unknown key 'exit_cod'\n"
            "cat/rest/worse.toml:1:1: expected '='\n");
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(total_runs(), 0);
}

TEST_F(CliTest, MissingPathIsAFileError) {
  const Outcome o = cli({"run", "nowhere"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "nowhere: no such file or folder\n");
}

TEST_F(CliTest, FilterGlobsRepeatableAndCommaSeparated) {
  const Outcome o =
      cli({"run", "cat", "--filter", "scheduler/tick*,*sigterm", "--filter", "nothing/*"});
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(total_runs(), 2);
  EXPECT_EQ(catalogue_.runs_["tick_panic"], 1);
  EXPECT_EQ(catalogue_.runs_["sigterm"], 1);
  EXPECT_THAT(o.out, ::testing::EndsWith("\n2 passed, 0 failed\n"));
}

TEST_F(CliTest, ShardsRunEveryScenarioExactlyOnce) {
  for (int index = 0; index < 3; ++index) {
    env_ = {{"GTEST_TOTAL_SHARDS", "3"}, {"GTEST_SHARD_INDEX", std::to_string(index)}};
    EXPECT_EQ(cli({"run", "cat"}).status, 0);
  }
  for (const char* name : {"tick_panic", "start_return", "bind_taken", "sigterm"}) {
    EXPECT_EQ(catalogue_.runs_[name], 1) << name;
  }
}

TEST_F(CliTest, ShardOfTheSortedList) {
  env_ = {{"GTEST_TOTAL_SHARDS", "2"}, {"GTEST_SHARD_INDEX", "1"}};
  EXPECT_EQ(cli({"run", "cat"}).status, 0);
  // Sorted: rest/bind_taken, scheduler/start_return, scheduler/tick_panic, signals/sigterm.
  EXPECT_EQ(catalogue_.runs_["start_return"], 1);
  EXPECT_EQ(catalogue_.runs_["sigterm"], 1);
  EXPECT_EQ(total_runs(), 2);
}

TEST_F(CliTest, BadShardVariablesExitTwoBeforeRunning) {
  env_ = {{"GTEST_TOTAL_SHARDS", "2"}, {"GTEST_SHARD_INDEX", "2"}};
  Outcome o = cli({"run", "cat"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "superlink-harness: GTEST_SHARD_INDEX=2: must be in [0, 2)\n");
  env_ = {{"GTEST_TOTAL_SHARDS", "x"}, {"GTEST_SHARD_INDEX", "0"}};
  o = cli({"run", "cat"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "superlink-harness: GTEST_TOTAL_SHARDS='x': not a whole number\n");
  EXPECT_EQ(total_runs(), 0);
}

TEST_F(CliTest, TouchesTheShardStatusFile) {
  const auto path =
      std::filesystem::temp_directory_path() / ("shard-status-" + std::to_string(::getpid()));
  std::filesystem::remove(path);
  env_ = {{"GTEST_SHARD_STATUS_FILE", path.string()}};
  EXPECT_EQ(cli({"run", "cat"}).status, 0);
  EXPECT_TRUE(std::filesystem::exists(path));
  std::filesystem::remove(path);
}

TEST_F(CliTest, WritesJunitAndJson) {
  catalogue_.add("rest", "wrong", "fail");
  const auto dir =
      std::filesystem::temp_directory_path() / ("cli-reports-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const Outcome o =
      cli({"run", "cat", "--junit", (dir / "r.xml").string(), "--json", (dir / "r.json").string()});
  EXPECT_EQ(o.status, 1);
  auto slurp = [](const std::filesystem::path& p) {
    std::ifstream f(p);
    return std::string(std::istreambuf_iterator<char>(f), {});
  };
  EXPECT_THAT(slurp(dir / "r.xml"),
              HasSubstr("<testsuites name=\"superlink-harness\" tests=\"5\" failures=\"1\""));
  EXPECT_THAT(slurp(dir / "r.json"), HasSubstr("{\"name\":\"wrong\",\"group\":\"rest\""));
  std::filesystem::remove_all(dir);
}

TEST_F(CliTest, UnwritableReportIsAnError) {
  const Outcome o = cli({"run", "cat", "--json", "/nonexistent-dir/r.json"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "superlink-harness: --json: cannot write '/nonexistent-dir/r.json': No such file or "
            "directory\n");
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(total_runs(), 0);  // refused before anything ran
}

TEST_F(CliTest, RepeatRunsEveryRound) {
  const Outcome o = cli({"run", "cat", "--repeat", "3", "--filter", "rest/*"});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(catalogue_.runs_["bind_taken"], 3);
  EXPECT_THAT(o.out, HasSubstr("rest/bind_taken #3  PASS"));
  EXPECT_THAT(o.out, ::testing::EndsWith("\n3 passed, 0 failed\n"));
}

TEST_F(CliTest, UntilFailStopsAtTheFirstFailingRound) {
  catalogue_.add("rest", "flaky", "fail-on-4");
  const Outcome o = cli({"run", "cat", "--until-fail", "--filter", "rest/*"});
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(catalogue_.runs_["flaky"], 4);
  EXPECT_EQ(catalogue_.runs_["bind_taken"], 4);
  EXPECT_THAT(o.out, ::testing::EndsWith("\n7 passed, 1 failed\n"));
}

TEST_F(CliTest, UntilFailHonoursRepeatAsACap) {
  catalogue_.add("rest", "flaky", "fail-on-9");
  EXPECT_EQ(cli({"run", "cat", "--until-fail", "--repeat", "2", "--filter", "rest/flaky"}).status,
            0);
  EXPECT_EQ(catalogue_.runs_["flaky"], 2);
}

TEST_F(CliTest, JobsRunScenariosTogetherWithoutInterleaving) {
  catalogue_.concurrency_gate_ = 4;
  catalogue_.add("rest", "wrong", "fail");
  const Outcome o = cli({"run", "cat", "--jobs", "4", "-v"});
  EXPECT_TRUE(catalogue_.met_together_);
  EXPECT_EQ(o.status, 1);
  // Each scenario's report is one block: its status line is followed by its own sections.
  for (const char* name : {"rest/bind_taken", "rest/wrong", "signals/sigterm"}) {
    const auto at = o.out.find(std::string(name) + "  (");
    ASSERT_NE(at, std::string::npos) << name;
    EXPECT_EQ(o.out.find(std::string("\n  scenario: ") + name, at), o.out.find('\n', at))
        << name << "\n"
        << o.out;
  }
}

TEST_F(CliTest, TargetAndSeedReachTheRunner) {
  EXPECT_EQ(cli({"run", "cat", "--target", "/opt/real-superlink", "--seed", "42"}).status, 0);
  EXPECT_EQ(catalogue_.last_options_.mock_binary, "/opt/real-superlink");
  EXPECT_EQ(catalogue_.last_options_.seed, 42u);
}

TEST_F(CliTest, ColourFollowsTheTerminalNoColorAndTheOption) {
  tty_ = true;
  EXPECT_THAT(cli({"run", "cat"}).out, HasSubstr("\x1b[32mPASS \x1b[0m"));
  env_ = {{"NO_COLOR", ""}};
  EXPECT_THAT(cli({"run", "cat"}).out, Not(HasSubstr("\x1b[")));
  EXPECT_THAT(cli({"run", "cat", "--color", "always"}).out, HasSubstr("\x1b[32mPASS \x1b[0m"));
  tty_ = false;
  env_.clear();
  EXPECT_THAT(cli({"run", "cat"}).out, Not(HasSubstr("\x1b[")));
}

TEST_F(CliTest, ListShowsIdsThatFilterTakesBack) {
  const Outcome o = cli({"list", "--filter", "scheduler/*"});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out,
            "scenario                description\n"
            "scheduler/start_return  pass\n"
            "scheduler/tick_panic    pass\n");
  EXPECT_EQ(cli({"list", "--filter", "scheduler/tick_panic"}).out,
            "scenario              description\n"
            "scheduler/tick_panic  pass\n");
  EXPECT_EQ(total_runs(), 0);
}

TEST_F(CliTest, CheckParsesOnly) {
  Outcome o = cli({"check", "cat"});
  EXPECT_EQ(o.status, 0);
  EXPECT_EQ(o.out, "4 scenarios parsed, no errors\n");
  catalogue_.add_broken("cat/x/bad.toml", "cat/x/bad.toml:2:1: unknown table [expct]");
  o = cli({"check", "cat"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "cat/x/bad.toml:2:1: unknown table [expct]\n");
  EXPECT_EQ(total_runs(), 0);
}

TEST_F(CliTest, ReproStreamsLinesThenReportAndCommand) {
  catalogue_.add("rest", "wrong", "fail");
  const Outcome o = cli({"repro", "cat/rest/wrong.toml"});
  EXPECT_EQ(o.status, 1);
  EXPECT_THAT(o.out,
              ::testing::StartsWith("[stderr +3ms] INFO :      hello\n\nFAIL  rest/wrong  ("));
  EXPECT_THAT(o.out, ::testing::EndsWith("  rerun:\n    /b/bin/mock-superlink --insecure\n"));
}

TEST_F(CliTest, ReproWantsOneScenario) {
  const Outcome o = cli({"repro", "cat"});
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err, "superlink-harness: repro: 'cat' holds 4 scenarios; give one file\n");
}

}  // namespace
}  // namespace harness::cli
