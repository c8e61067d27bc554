// The mock's REST thread given failing system calls from outside, with Debian's strace attached
// to the thread named `rest`, as the real 1.18.0 and 1.26.1 were (reference: "Measured: faults
// injected into the real one's threads from outside"): the first epoll_wait failing EBADF kills
// the thread with Python's traceback; accept4 failing EMFILE once is reported as asyncio reports
// it, and both requests are answered.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "superlink/testing/http_client.h"
#include "superlink/testing/leased_address.h"
#include "superlink/testing/spawned_process.h"
#include "test_support/test_directory.h"

namespace superlink {
namespace {

using test_support::ExitInfo;
using test_support::leased_address;
using test_support::SpawnedProcess;
using ::testing::EndsWith;
using ::testing::HasSubstr;

constexpr std::chrono::seconds kSafety{20};

enum class Mode { kDocumented, kFlower, kPersona };

struct Variant {
  const char* name;
  Mode mode;
  const char* version;   // "1.18" or "1.26"
  const char* app_line;  // flwr/server/app.py's line in _run_fleet_api_rest
  const char* help_url;  // the exit block's page for code 100
};

const Variant kVariants[] = {
    {"Documented118", Mode::kDocumented, "1.18", "750",
     "https://flower.ai/docs/framework/ref-exit-codes/100.html"},
    {"FlowerMode118", Mode::kFlower, "1.18", "750",
     "https://flower.ai/docs/framework/ref-exit-codes/100.html"},
    {"Persona118", Mode::kPersona, "1.18", "750",
     "https://flower.ai/docs/framework/ref-exit-codes/100.html"},
    {"FlowerMode126", Mode::kFlower, "1.26", "658",
     "https://flower.ai/docs/framework/v1.26.1/en/ref-exit-codes/100.html"},
    {"Persona126", Mode::kPersona, "1.26", "658",
     "https://flower.ai/docs/framework/v1.26.1/en/ref-exit-codes/100.html"},
};

void PrintTo(const Variant& variant, std::ostream* out) {
  *out << variant.name;
}

std::string strace_bin() {
  for (const char* candidate : {"/usr/bin/strace", "/bin/strace", "/usr/local/bin/strace"}) {
    if (::access(candidate, X_OK) == 0) return candidate;
  }
  return {};
}

// The TID of the thread whose OS name is `name`; empty when there is none.
std::string thread_named(pid_t pid, const std::string& name) {
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  std::error_code error;
  for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
    std::ifstream comm(task.path() / "comm");
    std::string line;
    if (std::getline(comm, line) && line == name) return task.path().filename().string();
  }
  return {};
}

class RestThreadFaults : public ::testing::TestWithParam<Variant> {
 protected:
  void SetUp() override {
    strace_ = strace_bin();
    if (strace_.empty()) GTEST_SKIP() << "strace is not installed: no system-call faults here";
  }

  bool documented() const { return GetParam().mode == Mode::kDocumented; }
  bool v126() const { return std::string(GetParam().version) == "1.26"; }

  // The REST Fleet API on a leased port, no scheduler or superexec; ready once the ready file
  // exists. Flower's flags only, so one command line serves every mode.
  std::unique_ptr<SpawnedProcess> start() {
    const Variant& variant = GetParam();
    const std::filesystem::path bin = MOCK_SUPERLINK_BIN;
    std::vector<std::string> argv{variant.mode == Mode::kPersona
                                      ? (bin.parent_path() / "flower-superlink").string()
                                      : bin.string(),
                                  "--insecure",
                                  "--isolation",
                                  "process",
                                  "--fleet-api-type",
                                  "rest"};
    if (variant.mode == Mode::kFlower) argv.insert(argv.end(), {"--exit-status", "flower"});
    fleet_address_ = leased_address();
    argv.insert(argv.end(), {v126() ? "--control-api-address" : "--exec-api-address",
                             leased_address(), "--serverappio-api-address", leased_address(),
                             "--fleet-api-address", fleet_address_});
    auto process = std::make_unique<SpawnedProcess>(
        argv, std::vector<std::string>{"NO_COLOR=1", "SUPERLINK_READY_FILE=" + ready_path(),
                                       std::string("SUPERLINK_FLOWER_VERSION=") + variant.version});
    EXPECT_TRUE(process->wait_for_file(ready_path(), kSafety)) << process->stderr_text();
    return process;
  }

  // strace attached to the thread named `rest` of `target`, once it says it is attached.
  std::unique_ptr<SpawnedProcess> attach(SpawnedProcess& target, const std::string& calls,
                                         const std::string& error) {
    const std::string tid = thread_named(target.pid(), "rest");
    EXPECT_FALSE(tid.empty()) << "no thread named rest";
    auto strace = std::make_unique<SpawnedProcess>(
        std::vector<std::string>{strace_, "-p", tid, "-e", "trace=" + calls, "-e",
                                 "inject=" + calls + ":error=" + error + ":when=1"});
    const bool attached = strace->wait_for_stderr(" attached\n", 1, kSafety);
    if (!attached && strace->stderr_text().find("Operation not permitted") != std::string::npos) {
      ptrace_refused_ = true;
    }
    EXPECT_TRUE(attached || ptrace_refused_) << strace->stderr_text();
    return strace;
  }

  // The status of a GetRun request (a route every version has).
  static int answered(int port) {
    return test_support::fleet_post("127.0.0.1", port, "get-run", "").status;
  }

  int fleet_port() const {
    return std::atoi(fleet_address_.c_str() + fleet_address_.find(':') + 1);
  }

  // Flower's record prefix: the real one's colours whatever NO_COLOR says; none in documented
  // mode under NO_COLOR.
  std::string error_prefix() const {
    return documented() ? "ERROR :     " : "\033[91mERROR \033[0m:     ";
  }

  std::string ready_path() const { return (dir_ / "ready.json").string(); }

  std::string strace_;
  std::string fleet_address_;
  bool ptrace_refused_ = false;
  test_support::TestDirectory dir_{"rest_thread_faults_test"};
};

INSTANTIATE_TEST_SUITE_P(, RestThreadFaults, ::testing::ValuesIn(kVariants),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_P(RestThreadFaults, FailedEpollWaitKillsTheThreadWithPythonsTraceback) {
  auto process = start();
  auto strace = attach(*process, "epoll_wait,epoll_pwait", "EBADF");
  if (ptrace_refused_) GTEST_SKIP() << "ptrace refused: " << strace->stderr_text();
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.status, documented() ? 100 : 1);
  strace->wait_exit(kSafety);
  EXPECT_THAT(strace->stderr_text(), HasSubstr("= -1 EBADF (Bad file descriptor) (INJECTED)"));
  const std::string traceback =
      "Exception in thread Thread-3 (_run_fleet_api_rest):\n"
      "Traceback (most recent call last):\n"
      "  File \"/usr/lib/python3.11/threading.py\", line 1038, in _bootstrap_inner\n"
      "  File \"/usr/lib/python3.11/threading.py\", line 975, in run\n"
      "  File \"/usr/local/lib/python3.11/dist-packages/flwr/server/app.py\", line " +
      std::string(GetParam().app_line) +
      ", in _run_fleet_api_rest\n"
      "  File \"/usr/lib/python3/dist-packages/uvicorn/main.py\", line 463, in run\n"
      "  File \"/usr/lib/python3/dist-packages/uvicorn/server.py\", line 60, in run\n"
      "  File \"/usr/lib/python3.11/asyncio/runners.py\", line 190, in run\n"
      "  File \"/usr/lib/python3.11/asyncio/runners.py\", line 118, in run\n"
      "  File \"/usr/lib/python3.11/asyncio/base_events.py\", line 640, in run_until_complete\n"
      "  File \"/usr/lib/python3.11/asyncio/base_events.py\", line 607, in run_forever\n"
      "  File \"/usr/lib/python3.11/asyncio/base_events.py\", line 1884, in _run_once\n"
      "  File \"/usr/lib/python3.11/selectors.py\", line 468, in select\n"
      "OSError: [Errno 9] Bad file descriptor\n";
  const std::string named =
      documented() ? error_prefix() +
                         "Critical background thread 'rest' stopped: [Errno 9] Bad file "
                         "descriptor\n"
                   : "";
  const std::string block = error_prefix() +
                            "Exit Code: 100\n\nAn important background thread has crashed.\n\n"
                            "For more information, visit: <" +
                            GetParam().help_url + ">\n";
  EXPECT_THAT(process->stderr_text(),
              EndsWith(" (Press CTRL+C to quit)\n" + traceback + named + block));
}

// What asyncio prints does not depend on the exit-status mode: documented mode and the persona.
using RestAcceptFaults = RestThreadFaults;
INSTANTIATE_TEST_SUITE_P(, RestAcceptFaults,
                         ::testing::Values(kVariants[0], kVariants[2], kVariants[4]),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_P(RestAcceptFaults, AcceptOutOfDescriptorsIsReportedAndBothRequestsAreAnswered) {
  auto process = start();
  auto strace = attach(*process, "accept,accept4", "EMFILE");
  if (ptrace_refused_) GTEST_SKIP() << "ptrace refused: " << strace->stderr_text();
  const int port = fleet_port();
  // The first accept fails; asyncio's loop goes on and takes the connection with the next one.
  EXPECT_EQ(answered(port), 200);
  // The listener rests for 1 s: the second connection waits in the backlog until then.
  const auto second = std::chrono::steady_clock::now();
  EXPECT_EQ(answered(port), 200);
  EXPECT_GE(std::chrono::steady_clock::now() - second, std::chrono::milliseconds(500));
  EXPECT_TRUE(strace->wait_for_stderr("(INJECTED)", 1, kSafety)) << strace->stderr_text();
  ASSERT_TRUE(process->wait_for_stderr("OSError: [Errno 24] Too many open files\n", 1, kSafety))
      << process->stderr_text();

  // The requests (get-run of run 0) each log 1.18's `run_id` is invalid: not asyncio's business.
  std::string text;
  std::istringstream lines(process->stderr_text());
  int unknown_runs = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.ends_with("`run_id` is invalid")) {
      ++unknown_runs;
    } else {
      text += line + "\n";
    }
  }
  EXPECT_EQ(unknown_runs, std::string_view(GetParam().version) == "1.18" ? 2 : 0);
  const std::string head = "socket.accept() out of system resource\n";
  const auto at = text.find(head);
  ASSERT_NE(at, std::string::npos) << text;
  const auto fd_at = text.find("fd=", at);
  ASSERT_NE(fd_at, std::string::npos) << text;
  const std::string fd = std::to_string(std::atoi(text.c_str() + fd_at + 3));
  EXPECT_EQ(text.substr(at),
            head + "socket: <asyncio.TransportSocket fd=" + fd +
                ", family=2, type=1, proto=6, laddr=('127.0.0.1', " + std::to_string(port) +
                ")>\n"
                "Traceback (most recent call last):\n"
                "  File \"/usr/lib/python3.11/asyncio/selector_events.py\", line 165, in "
                "_accept_connection\n"
                "  File \"/usr/lib/python3.11/socket.py\", line 294, in accept\n"
                "OSError: [Errno 24] Too many open files\n");

  // Still up: a third request, then a graceful exit.
  EXPECT_EQ(answered(port), 200);
  ::kill(process->pid(), SIGTERM);
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.status, documented() ? 3 : 0);
  EXPECT_THAT(process->stderr_text(), ::testing::Not(HasSubstr("Exit Code")));
}

}  // namespace
}  // namespace superlink
