// The fault journal: its line format, what is and is not recorded, and that the line is on disk
// before a task that ends the process runs.
#include "journal.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <system_error>
#include <thread>

#include "failpoint/failpoint.h"
#include "test_support.h"
#include "testing_hooks.h"

extern char** environ;

namespace failpoint {
namespace {

using test_support::JournalRecord;
using test_support::ParseJournalLine;
using test_support::ReadLines;

std::uint64_t MonoNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000ULL +
         static_cast<std::uint64_t>(ts.tv_nsec);
}

std::string g_journal_path;  // for handlers, which are plain function pointers

class JournalTest : public test_support::FailpointTest {
 protected:
  void SetUp() override {
    FailpointTest::SetUp();
    path_ = test_support::TempDir() + "journal.jsonl";
    open_journal(path_);
  }
  std::vector<JournalRecord> Records() {
    std::vector<JournalRecord> out;
    for (const auto& line : ReadLines(path_)) out.push_back(ParseJournalLine(line));
    return out;
  }
  std::string path_;
};

TEST(JournalLineTest, ExactFormat) {
  EXPECT_EQ(internal::journal_line(3, "scheduler.tick", "panic", "boom", "scheduler", 42, 123456789,
                                   4242),
            "{\"hit\":3,\"site\":\"scheduler.tick\",\"task\":\"panic\",\"arg\":\"boom\","
            "\"thread\":\"scheduler\",\"seed\":42,\"mono_ns\":123456789,\"pid\":4242}\n");
}

TEST(JournalLineTest, StringsAreEscaped) {
  const std::string arg = "say \"hi\"\\\n\t\x01 caf\xc3\xa9";
  const auto line = internal::journal_line(1, "a", "return", arg, "", 0, 0, 1);
  EXPECT_THAT(line, ::testing::HasSubstr(R"("arg":"say \"hi\"\\\n\t\u0001 caf)"));
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  const auto record = ParseJournalLine(line.substr(0, line.size() - 1));
  EXPECT_EQ(record.arg, arg);
}

TEST_F(JournalTest, FiringsAreRecordedWithEveryField) {
  set_seed(42);
  configure_one("scheduler.tick", "2*off->1*panic(boom)->return(503)");
  std::vector<std::string> results;
  const auto before = MonoNs();
  std::thread t([&] {
    pthread_setname_np(pthread_self(), "scheduler");
    for (int i = 0; i < 4; ++i) {
      try {
        results.push_back(FAILPOINT("scheduler.tick").value_or("-"));
      } catch (const Panic& p) {
        results.push_back("panic:" + p.message());
      }
    }
  });
  t.join();
  const auto after = MonoNs();
  EXPECT_THAT(results, ::testing::ElementsAre("-", "-", "panic:boom", "503"));

  const auto records = Records();
  ASSERT_EQ(records.size(), 2u);  // off passes are not recorded
  EXPECT_EQ(records[0].hit, 3u);  // ... but they count as hits
  EXPECT_EQ(records[0].site, "scheduler.tick");
  EXPECT_EQ(records[0].task, "panic");
  EXPECT_EQ(records[0].arg, "boom");
  EXPECT_EQ(records[0].thread, "scheduler");
  EXPECT_EQ(records[0].seed, 42u);
  EXPECT_EQ(records[0].pid, static_cast<std::uint64_t>(getpid()));
  EXPECT_GE(records[0].mono_ns, before);
  EXPECT_LE(records[0].mono_ns, after);
  EXPECT_EQ(records[1].hit, 4u);
  EXPECT_EQ(records[1].task, "return");
  EXPECT_EQ(records[1].arg, "503");
  EXPECT_LE(records[0].mono_ns, records[1].mono_ns);
}

TEST_F(JournalTest, EveryNonOffTaskIsRecordedAndArgIsEmptyWithoutOne) {
  set_print_handler([](std::string_view, std::string_view) {});
  configure("a=return;b=sleep(1);c=print(p);d=yield;e=delay(1);f=panic;g=off;h=1*pause->off");
  for (const char* site : {"a", "b", "c", "d", "e", "f", "g"}) {
    try {
      FAILPOINT(site);
    } catch (const Panic&) {
    }
  }
  test_support::SiteThread paused([] { FAILPOINT("h"); });
  ASSERT_TRUE(internal::wait_until_paused(1, std::chrono::milliseconds(10000)));
  teardown();
  paused.join();
  std::vector<std::string> seen;
  for (const auto& r : Records()) seen.push_back(r.site + ":" + r.task + ":" + r.arg);
  EXPECT_THAT(seen, ::testing::ElementsAre("a:return:", "b:sleep:1", "c:print:p",
                                           "d:yield:", "e:delay:1", "f:panic:", "h:pause:"));
}

// What the handler sees: the journal without the panic's line, so nothing that watches the
// journal can act on the firing before the program knows the thread is dying.
std::string g_panic_seen;
void RecordPanicAndJournal(std::string_view site, std::string_view message) {
  g_panic_seen = std::string(site) + ":" + std::string(message) + ":" +
                 std::to_string(ReadLines(g_journal_path).size());
}

TEST_F(JournalTest, ThePanicHandlerRunsBeforeTheFiringIsJournalled) {
  g_journal_path = path_;
  g_panic_seen.clear();
  set_panic_handler(RecordPanicAndJournal);
  configure("a=return;b=panic(boom);c=panic");
  FAILPOINT("a");
  EXPECT_EQ(g_panic_seen, "");  // only panics call it
  EXPECT_THROW(FAILPOINT("b"), Panic);
  EXPECT_EQ(g_panic_seen, "b:boom:1");
  try {
    FAILPOINT("c");
    FAIL() << "no panic";
  } catch (const Panic& panic) {
    EXPECT_EQ(g_panic_seen, "c:" + panic.message() + ":2");
  }
  EXPECT_EQ(Records().size(), 3u);
}

TEST_F(JournalTest, HitNumbersCountFromArming) {
  configure_one("x", "return");
  FAILPOINT("x");
  FAILPOINT("x");
  configure_one("x", "return");
  FAILPOINT("x");
  const auto records = Records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].hit, 1u);
  EXPECT_EQ(records[1].hit, 2u);
  EXPECT_EQ(records[2].hit, 1u);
}

TEST_F(JournalTest, ClosedJournalRecordsNothingAndReopeningAppends) {
  configure_one("x", "return");
  FAILPOINT("x");
  close_journal();
  FAILPOINT("x");
  open_journal(path_);
  FAILPOINT("x");
  const auto records = Records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].hit, 1u);
  EXPECT_EQ(records[1].hit, 3u);
}

TEST_F(JournalTest, ConcurrentFiringsGiveWholeLines) {
  configure_one("x", "return(0123456789012345678901234567890123456789)");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([] {
      for (int i = 0; i < 500; ++i) FAILPOINT("x");
    });
  }
  for (auto& t : threads) t.join();
  const auto records = Records();  // throws on a torn line
  ASSERT_EQ(records.size(), 2000u);
  std::vector<bool> hit_seen(2001, false);
  for (const auto& r : records) {
    ASSERT_LE(r.hit, 2000u);
    EXPECT_FALSE(hit_seen[r.hit]) << "hit " << r.hit << " twice";
    hit_seen[r.hit] = true;
  }
}

TEST(JournalOpenTest, UnopenableJournalThrows) {
  EXPECT_THROW(open_journal("/nonexistent-dir/journal.jsonl"), std::system_error);
  try {
    open_journal("/nonexistent-dir/journal.jsonl");
  } catch (const std::system_error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("'/nonexistent-dir/journal.jsonl'"));
    EXPECT_EQ(e.code().value(), ENOENT);
  }
}

// Runs the crash helper: returns its wait status; its stdout goes to `out`.
int RunHelper(const std::string& journal, const std::string& spec, const std::string& site,
              const std::string& out, pid_t* pid_out) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  // Sanitizers catch SIGSEGV themselves; let the kernel's default action happen instead.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string kv = *e;
    if (kv.rfind("ASAN_OPTIONS=", 0) == 0 || kv.rfind("TSAN_OPTIONS=", 0) == 0) continue;
    env_strings.push_back(kv);
  }
  const char* asan = std::getenv("ASAN_OPTIONS");
  const char* tsan = std::getenv("TSAN_OPTIONS");
  env_strings.push_back(std::string("ASAN_OPTIONS=") + (asan ? asan : "") + ":handle_segv=0");
  env_strings.push_back(std::string("TSAN_OPTIONS=") + (tsan ? tsan : "") + ":handle_segv=0");
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = {FAILPOINT_CRASH_HELPER, journal, spec, site};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  const int rc =
      posix_spawn(&pid, FAILPOINT_CRASH_HELPER, &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::system_error(rc, std::generic_category(), "posix_spawn");
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  *pid_out = pid;
  return status;
}

struct ChildCase {
  const char* actions;
  const char* task;
  const char* arg;
};

class JournalChildTest : public ::testing::TestWithParam<ChildCase> {};

TEST_P(JournalChildTest, LineIsWrittenBeforeTheProcessEnds) {
  const auto dir = test_support::TempDir();
  const auto journal = dir + "journal.jsonl";
  const auto out = dir + "stdout.txt";
  pid_t pid = 0;
  const int status = RunHelper(journal, std::string("rest.request=") + GetParam().actions,
                               "rest.request", out, &pid);

  const std::string task = GetParam().task;
  if (task == "abort") {
    ASSERT_TRUE(WIFSIGNALED(status)) << "status " << status;
    EXPECT_EQ(WTERMSIG(status), SIGABRT);
  } else if (task == "segv") {
    ASSERT_TRUE(WIFSIGNALED(status)) << "status " << status;
    EXPECT_EQ(WTERMSIG(status), SIGSEGV);
  } else {
    ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
    EXPECT_EQ(WEXITSTATUS(status), 7);
    // The default exit handler flushes stdio before _exit.
    EXPECT_EQ(test_support::ReadFile(out), "armed\n");
  }
  EXPECT_THAT(test_support::ReadFile(out), ::testing::Not(::testing::HasSubstr("survived")));

  const auto lines = ReadLines(journal);
  ASSERT_EQ(lines.size(), 1u);
  const auto record = ParseJournalLine(lines[0]);
  EXPECT_EQ(record.hit, 1u);
  EXPECT_EQ(record.site, "rest.request");
  EXPECT_EQ(record.task, task);
  EXPECT_EQ(record.arg, GetParam().arg);
  EXPECT_EQ(record.thread, "crasher");
  EXPECT_EQ(record.pid, static_cast<std::uint64_t>(pid));
}

INSTANTIATE_TEST_SUITE_P(ProcessEndingTasks, JournalChildTest,
                         ::testing::Values(ChildCase{"abort", "abort", ""},
                                           ChildCase{"segv", "segv", ""},
                                           ChildCase{"exit(7)", "exit", "7"}),
                         [](const auto& info) { return std::string(info.param.task); });

TEST(JournalChildSanityTest, HelperSurvivesAnUnarmedSite) {
  const auto dir = test_support::TempDir();
  pid_t pid = 0;
  const int status =
      RunHelper(dir + "journal.jsonl", "other=panic", "rest.request", dir + "stdout.txt", &pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(test_support::ReadFile(dir + "stdout.txt"), "armed\nsurvived\n");
  EXPECT_TRUE(ReadLines(dir + "journal.jsonl").empty());
}

}  // namespace
}  // namespace failpoint
