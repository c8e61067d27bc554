// spawn_floor: what any process-level test of the mock pays before the harness does anything.
// Each iteration runs every case once, in turn, so that the machine's noise lands on all of them
// alike; the table gives the median and p99 per case.
//
//   spawn_floor --mock build/bin/mock-superlink [--iterations 200] [--samples FILE]
//
// --samples appends every timing to FILE as "case<TAB>ms" lines, so that bench/run-all can pool
// several rounds interleaved with the harness's own runs.
// Cases (stdin, stdout and stderr on /dev/null; nothing is read back but the exit status and
// the fault journal):
//   true              posix_spawn + waitpid of /bin/true
//   mock --version    the mock's own process start-up and exit (dynamic linking, static init)
//   mock to ready     spawn until the ready file appears (inotify), no faults; then SIGKILL
//   mock start panic  spawn until exit 100 with scheduler.start=panic, no checks of the log
//   mock listen panic spawn until exit 100 with rest.listen=panic, no checks of the log
// and, from the two crash cases, the time from the journal's firing to the exit seen through a
// pidfd: the crash-detection latency without the harness.
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "spawn_floor: %s\n", message.c_str());
  std::exit(2);
}

std::string errno_text() {
  return std::strerror(errno);
}

// Environment of this process plus `extra` ("NAME=value" entries).
std::vector<std::string> environment_with(const std::vector<std::string>& extra) {
  std::vector<std::string> entries;
  for (char** entry = environ; *entry != nullptr; ++entry) entries.emplace_back(*entry);
  entries.insert(entries.end(), extra.begin(), extra.end());
  return entries;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (std::string& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

// posix_spawn with the three standard streams on /dev/null, as the harness would with pipes.
pid_t spawn(std::vector<std::string> argv, std::vector<std::string> env) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<char*> argv_pointers = pointers(argv);
  std::vector<char*> env_pointers = pointers(env);
  pid_t pid = 0;
  const int error = ::posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, argv_pointers.data(),
                                  env_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) die("cannot start " + argv[0] + ": " + std::strerror(error));
  return pid;
}

int wait_status(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) die("waitpid: " + errno_text());
  }
  return status;
}

void expect_exit(int status, int code, const std::string& what) {
  if (!WIFEXITED(status) || WEXITSTATUS(status) != code) {
    die(what + ": expected exit status " + std::to_string(code) + ", got raw status " +
        std::to_string(status));
  }
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// A fresh directory for one mock run's ready file, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "spawn-floor-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) die("mkdtemp: " + errno_text());
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<std::string> mock_argv(const std::string& mock, const std::string& isolation,
                                   const std::string& fleet_api_type) {
  return {mock,
          "--insecure",
          "--isolation",
          isolation,
          "--fleet-api-type",
          fleet_api_type,
          "--fleet-api-address",
          "127.0.0.1:0",
          "--serverappio-api-address",
          "127.0.0.1:0",
          "--exec-api-address",
          "127.0.0.1:0"};
}

// Spawn to the ready file's rename (the mock writes a temp file and renames it), watched
// through inotify as the harness does; the mock is then killed and reaped (not timed).
double mock_to_ready(const std::string& mock) {
  TempDir dir;
  const int inotify = ::inotify_init1(IN_CLOEXEC);
  if (inotify < 0) die("inotify_init1: " + errno_text());
  if (::inotify_add_watch(inotify, dir.path().c_str(), IN_MOVED_TO) < 0)
    die("inotify_add_watch: " + errno_text());
  std::vector<std::string> argv = mock_argv(mock, "subprocess", "rest");
  argv.insert(argv.end(), {"--ready-file", dir.path() + "/ready.json"});
  const Clock::time_point start = Clock::now();
  const pid_t pid = spawn(argv, environment_with({"NO_COLOR=1"}));
  pollfd watch{inotify, POLLIN, 0};
  const int polled = ::poll(&watch, 1, 10'000);  // safety net only
  const double elapsed = ms_since(start);
  ::kill(pid, SIGKILL);
  wait_status(pid);
  ::close(inotify);
  if (polled != 1 || !std::filesystem::exists(dir.path() + "/ready.json"))
    die("the mock did not write its ready file within 10 s");
  return elapsed;
}

std::int64_t mono_ns() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// The mono_ns of the first firing in a fault journal.
std::int64_t first_firing_ns(const std::string& journal) {
  std::ifstream in(journal);
  std::string line;
  std::getline(in, line);
  const std::string key = "\"mono_ns\":";
  const auto at = line.find(key);
  if (at == std::string::npos) die("no firing in the fault journal " + journal);
  return std::stoll(line.substr(at + key.size()));
}

// Spawn to exit 100 with one failpoint armed; the log goes to /dev/null, unchecked. The exit is
// seen the harness's way (pidfd readable), so `detection` gets the journal's firing to that
// moment: the crash-detection latency with no harness in the way.
double mock_crash(const std::string& mock, const std::string& isolation,
                  const std::string& fleet_api_type, const std::string& failpoints,
                  std::vector<double>& detection) {
  TempDir dir;
  std::vector<std::string> argv = mock_argv(mock, isolation, fleet_api_type);
  argv.insert(argv.end(), {"--fault-journal", dir.path() + "/journal.jsonl"});
  const Clock::time_point start = Clock::now();
  const pid_t pid = spawn(argv, environment_with({"NO_COLOR=1", "FAILPOINTS=" + failpoints}));
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) die("pidfd_open: " + errno_text());
  pollfd watch{pidfd, POLLIN, 0};
  if (::poll(&watch, 1, 10'000) != 1) die(failpoints + ": the mock did not exit within 10 s");
  const std::int64_t seen = mono_ns();
  const double elapsed = ms_since(start);
  ::close(pidfd);
  expect_exit(wait_status(pid), 100, failpoints);
  detection.push_back(static_cast<double>(seen - first_firing_ns(dir.path() + "/journal.jsonl")) /
                      1e6);
  return elapsed;
}

double spawn_and_wait(std::vector<std::string> argv, int code) {
  const Clock::time_point start = Clock::now();
  const int status = wait_status(spawn(argv, environment_with({})));
  const double elapsed = ms_since(start);
  expect_exit(status, code, argv[0]);
  return elapsed;
}

struct Case {
  std::string name;
  std::function<double()> once;
  std::vector<double> samples;
};

double percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  // Nearest rank: the smallest value with at least `fraction` of the samples at or below it.
  const auto rank =
      static_cast<std::size_t>(fraction * static_cast<double>(values.size()) + 0.999999);
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mock;
  std::string samples_file;
  int iterations = 200;
  CLI::App app{"What any process-level test pays: posix_spawn + wait, the mock to ready, a crash"};
  app.add_option("--mock", mock, "the mock-superlink binary")->required();
  app.add_option("--iterations", iterations, "samples per case")
      ->check(CLI::Range(1, std::numeric_limits<int>::max()))
      ->capture_default_str();
  app.add_option("--samples", samples_file, "write every sample to this file");
  CLI11_PARSE(app, argc, argv);
  if (::access(mock.c_str(), X_OK) != 0) die("--mock " + mock + ": " + errno_text());

  std::vector<double> start_detection;
  std::vector<double> listen_detection;
  std::vector<Case> cases = {
      {"posix_spawn + wait: /bin/true", [] { return spawn_and_wait({"/bin/true"}, 0); }, {}},
      {"posix_spawn + wait: mock-superlink --version",
       [&] {
         return spawn_and_wait({mock, "--version"}, 0);
       },
       {}},
      {"mock start-up to ready file (subprocess, rest; no faults)",
       [&] { return mock_to_ready(mock); },
       {}},
      {"bare mock, scheduler.start=panic: spawn to exit 100",
       [&] {
         return mock_crash(mock, "subprocess", "grpc-rere", "scheduler.start=panic(boom)",
                           start_detection);
       },
       {}},
      {"bare mock, rest.listen=panic: spawn to exit 100",
       [&] {
         return mock_crash(mock, "process", "rest", "rest.listen=panic(boom)", listen_detection);
       },
       {}},
  };
  for (Case& c : cases) c.once();  // warm the page cache; not counted
  start_detection.clear();
  listen_detection.clear();
  for (int i = 0; i < iterations; ++i) {
    for (Case& c : cases) c.samples.push_back(c.once());
  }
  cases.push_back({"bare mock, scheduler.start=panic: fired (journal) to exit seen (pidfd)",
                   {},
                   std::move(start_detection)});
  cases.push_back({"bare mock, rest.listen=panic: fired (journal) to exit seen (pidfd)",
                   {},
                   std::move(listen_detection)});
  if (!samples_file.empty()) {
    std::FILE* out = std::fopen(samples_file.c_str(), "a");
    if (out == nullptr) die("--samples " + samples_file + ": " + errno_text());
    for (const Case& c : cases) {
      for (const double ms : c.samples) std::fprintf(out, "%s\t%.6f\n", c.name.c_str(), ms);
    }
    std::fclose(out);
  }
  std::printf("| case | runs | median ms | p99 ms |\n| --- | ---: | ---: | ---: |\n");
  for (const Case& c : cases) {
    std::printf("| %s | %zu | %.3f | %.3f |\n", c.name.c_str(), c.samples.size(), median(c.samples),
                percentile(c.samples, 0.99));
  }
  return 0;
}
