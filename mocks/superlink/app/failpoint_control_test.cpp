// The run-time failpoint control endpoint: the address check, then every route and every error
// with real HTTP on loopback to a real mock-superlink process. Every wait is on an event (the
// ready file, /paused, an answer, the exit), never a sleep.
#include "superlink/app/failpoint_control.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "superlink/testing/http_client.h"
#include "superlink/testing/spawned_process.h"
#include "superlink/testing/taken_port.h"
#include "test_support/test_directory.h"
#include "unique_fd.h"

namespace superlink {
namespace {

using nlohmann::json;
using test_support::ExitInfo;
using test_support::HttpReply;
using test_support::SpawnedProcess;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::chrono::seconds kSafety{20};

std::string AddressError(const std::string& text) {
  try {
    parse_control_address(text, "--failpoint-control");
  } catch (const ControlAddressError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(ControlAddress, LoopbackAddressesAreAccepted) {
  EXPECT_EQ(format_address(parse_control_address("127.0.0.1:0", "x")), "127.0.0.1:0");
  EXPECT_EQ(format_address(parse_control_address("127.8.9.10:5", "x")), "127.8.9.10:5");
  EXPECT_EQ(format_address(parse_control_address("[::1]:7", "x")), "[::1]:7");
  EXPECT_EQ(format_address(parse_control_address("localhost:0", "x")), "127.0.0.1:0");
}

TEST(ControlAddress, AnyOtherAddressIsRefusedByName) {
  const std::string loopback = "': not a loopback address (127.0.0.0/8, ::1 or localhost)";
  EXPECT_EQ(AddressError("0.0.0.0:0"), "--failpoint-control '0.0.0.0:0" + loopback);
  EXPECT_EQ(AddressError("10.1.2.3:80"), "--failpoint-control '10.1.2.3:80" + loopback);
  EXPECT_EQ(AddressError("128.0.0.1:80"), "--failpoint-control '128.0.0.1:80" + loopback);
  EXPECT_EQ(AddressError("[::]:80"), "--failpoint-control '[::]:80" + loopback);
  EXPECT_EQ(AddressError("example.com:80"), "--failpoint-control 'example.com:80" + loopback);
  EXPECT_EQ(AddressError("127.0.0.1"),
            "--failpoint-control '127.0.0.1': expected HOST:PORT, as in 127.0.0.1:0");
  EXPECT_EQ(AddressError("127.0.0.1:99999"),
            "--failpoint-control '127.0.0.1:99999': expected HOST:PORT, as in 127.0.0.1:0");
}

// Sends `request` as it is to the loopback of `family` (the shared client is IPv4 only and
// always sends a Content-Length); returns the whole reply.
std::string RawExchange(int family, int port, const std::string& request) {
  const harness::UniqueFd fd(::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_storage storage{};
  socklen_t size = 0;
  if (family == AF_INET6) {
    auto* addr = reinterpret_cast<sockaddr_in6*>(&storage);
    addr->sin6_family = AF_INET6;
    addr->sin6_addr = in6addr_loopback;
    addr->sin6_port = htons(static_cast<std::uint16_t>(port));
    size = sizeof *addr;
  } else {
    auto* addr = reinterpret_cast<sockaddr_in*>(&storage);
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr->sin_port = htons(static_cast<std::uint16_t>(port));
    size = sizeof *addr;
  }
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&storage), size) != 0) {
    return "connect failed";
  }
  [[maybe_unused]] const ssize_t sent =
      ::send(fd.get(), request.data(), request.size(), MSG_NOSIGNAL);
  std::string reply;
  char buffer[4096];
  // Up to the end of the answer: after a request it could not read, httplib keeps the
  // connection open until its keep-alive timeout.
  for (ssize_t n; !test_support::whole_http_answer(reply) &&
                  (n = ::recv(fd.get(), buffer, sizeof buffer, 0)) > 0;) {
    reply.append(buffer, n);
  }
  return reply;
}

class FailpointControlProcess : public ::testing::Test {
 protected:
  std::string ready_path() const { return (dir_ / "ready.json").string(); }
  std::string journal_path() const { return (dir_ / "journal.jsonl").string(); }

  // Every listener on 127.0.0.1 port 0, the journal, plus `extra`.
  std::unique_ptr<SpawnedProcess> start(std::vector<std::string> extra,
                                        std::vector<std::string> env = {}) {
    std::vector<std::string> argv{
        MOCK_SUPERLINK_BIN,   "--insecure",  "--serverappio-api-address", "127.0.0.1:0",
        "--exec-api-address", "127.0.0.1:0", "--fleet-api-address",       "127.0.0.1:0",
        "--ready-file",       ready_path(),  "--fault-journal",           journal_path()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    env.push_back("NO_COLOR=1");
    return std::make_unique<SpawnedProcess>(argv, env);
  }

  // Starts the mock with the endpoint on 127.0.0.1:0, waits for its ready file.
  std::unique_ptr<SpawnedProcess> start_controlled(std::vector<std::string> extra = {}) {
    extra.insert(extra.begin(), {"--failpoint-control", "127.0.0.1:0"});
    auto process = start(extra);
    if (!process->wait_for_file(ready_path(), kSafety)) {
      ADD_FAILURE() << "not ready: " << process->stderr_text();
      return process;
    }
    ready_ = json::parse(test_support::read_file(ready_path()));
    const std::string address = ready_.value("failpoint_control_address", "");
    const std::string prefix = "127.0.0.1:";
    EXPECT_THAT(address, ::testing::StartsWith(prefix)) << ready_.dump();
    if (address.rfind(prefix, 0) == 0) port_ = std::stoi(address.substr(prefix.size()));
    return process;
  }

  HttpReply call(const std::string& method, const std::string& path,
                 const std::string& body = "") const {
    return test_support::http_request("127.0.0.1", port_, method, path, {}, body);
  }

  // The listing's entry for `site`.
  json listed(const std::string& site) const {
    const HttpReply reply = call("GET", "/failpoints");
    EXPECT_EQ(reply.status, 200) << reply.body;
    const json listing = json::parse(reply.body);
    for (const auto& entry : listing.at("failpoints")) {
      if (entry.at("site") == site) return entry;
    }
    ADD_FAILURE() << site << " not listed: " << reply.body;
    return json();
  }

  int fleet_port() const {
    const std::string address = ready_.at("fleet_api_address");
    return std::stoi(address.substr(address.rfind(':') + 1));
  }

  test_support::TestDirectory dir_{"failpoint_control_test"};
  json ready_;
  int port_ = 0;
};

json Body(const HttpReply& reply) {
  return json::parse(reply.body);
}

TEST_F(FailpointControlProcess, ListsEverySiteWithActionsHitsAndPaused) {
  auto process = start_controlled(
      {"--isolation", "process", "--fleet-api-type", "rest", "--failpoint", "rest.listen=off"});
  // The endpoint's thread is not a critical thread.
  EXPECT_EQ(ready_.at("critical_threads"), json::array({"rest"}));
  const HttpReply reply = call("GET", "/failpoints");
  ASSERT_EQ(reply.status, 200);
  const json sites = Body(reply).at("failpoints");
  std::vector<std::string> names;
  for (const auto& s : sites) names.push_back(s.at("site"));
  EXPECT_THAT(names, ::testing::ElementsAre("scheduler.start", "scheduler.tick", "scheduler.launch",
                                            "rest.start", "rest.listen", "rest.request",
                                            "grpc.request", "grpc.handler", "superlink.startup"));
  EXPECT_EQ(sites[4], (json{{"site", "rest.listen"},
                            {"where", "rest thread, after the bind, before serving"},
                            {"actions", "off"},
                            {"hits", 1},
                            {"paused", 0}}));
  EXPECT_EQ(sites[1].at("actions"), nullptr);
  EXPECT_EQ(sites[1].at("hits"), 0);
}

TEST_F(FailpointControlProcess, ArmPauseWaitResumeThenReArmToCrash) {
  auto process = start_controlled();
  HttpReply reply = call("PUT", "/failpoints/scheduler.tick", " pause ");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(Body(reply), (json{{"site", "scheduler.tick"}, {"actions", "pause"}}));

  reply = call("GET", "/failpoints/scheduler.tick/paused?timeout_ms=10000");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(Body(reply).at("paused"), 1);
  EXPECT_EQ(listed("scheduler.tick").at("paused"), 1);
  // The pause is in the journal by the time /paused answers.
  EXPECT_THAT(test_support::read_file(journal_path()),
              HasSubstr("\"site\":\"scheduler.tick\",\"task\":\"pause\",\"arg\":\"\",\"thread\":"
                        "\"scheduler\""));
  EXPECT_THAT(test_support::read_file(journal_path()), HasSubstr(",\"parked\":true}\n"));

  reply = call("POST", "/failpoints/scheduler.tick/resume");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(Body(reply), (json{{"site", "scheduler.tick"}, {"resumed", 1}}));
  // Still armed: the next tick parks again, and re-arming releases it into the new fault.
  ASSERT_EQ(call("GET", "/failpoints/scheduler.tick/paused?timeout_ms=10000").status, 200);
  EXPECT_EQ(call("PUT", "/failpoints/scheduler.tick", "panic(after resume)").status, 200);
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_EQ(exit.status, 100);
  EXPECT_THAT(process->stderr_text(),
              HasSubstr("Critical background thread 'scheduler' stopped: after resume\n"));
}

TEST_F(FailpointControlProcess, DisarmLetsAPausedRequestGoOn) {
  auto process = start_controlled({"--isolation", "process", "--fleet-api-type", "rest"});
  ASSERT_EQ(call("PUT", "/failpoints/rest.request", "pause").status, 200);
  HttpReply fleet;
  std::jthread client(
      [&] { fleet = test_support::fleet_post("127.0.0.1", fleet_port(), "create-node", ""); });
  ASSERT_EQ(call("GET", "/failpoints/rest.request/paused?timeout_ms=10000").status, 200);
  const HttpReply reply = call("DELETE", "/failpoints/rest.request");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(Body(reply), (json{{"site", "rest.request"}, {"actions", nullptr}}));
  client.join();  // the parked request went on and was answered
  EXPECT_EQ(fleet.status, 200);
  const json entry = listed("rest.request");
  EXPECT_EQ(entry.at("actions"), nullptr);
  EXPECT_EQ(entry.at("paused"), 0);
  EXPECT_EQ(call("GET", "/failpoints/rest.request/paused?timeout_ms=0").status, 408);
}

TEST_F(FailpointControlProcess, SigtermEndsTheProcessWhileACriticalThreadIsPaused) {
  auto process = start_controlled();
  ASSERT_EQ(call("PUT", "/failpoints/scheduler.tick", "pause").status, 200);
  ASSERT_EQ(call("GET", "/failpoints/scheduler.tick/paused?timeout_ms=10000").status, 200);
  ::kill(process->pid(), SIGTERM);
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.status, 3);
  EXPECT_THAT(process->stderr_text(), HasSubstr("SuperLink terminated gracefully.\n"));
}

TEST_F(FailpointControlProcess, EveryErrorAnswersJsonNamingTheBadPiece) {
  auto process = start_controlled();
  const std::string unknown =
      "failpoint 'nope': unknown site (known: grpc.handler, grpc.request, rest.listen, "
      "rest.request, rest.start, "
      "scheduler.launch, scheduler.start, scheduler.tick, superlink.startup)";
  const auto expect = [&](const std::string& method, const std::string& path,
                          const std::string& body, int status, const std::string& error) {
    const HttpReply reply = call(method, path, body);
    EXPECT_EQ(reply.status, status) << method << " " << path;
    EXPECT_EQ(Body(reply), (json{{"error", error}})) << method << " " << path;
  };
  expect("PUT", "/failpoints/nope", "panic", 404, unknown);
  expect("PUT", "/failpoints/nope", "panik", 404, unknown);  // the site is checked first
  expect("DELETE", "/failpoints/nope", "", 404, unknown);
  expect("GET", "/failpoints/nope/paused?timeout_ms=0", "", 404, unknown);
  expect("POST", "/failpoints/nope/resume", "", 404, unknown);
  expect("PUT", "/failpoints/scheduler.tick", "panik", 400,
         "failpoint 'scheduler.tick': unknown task 'panik' in action 'panik' (tasks: off, "
         "return, sleep, panic, print, pause, yield, delay, abort, segv, exit)");
  expect("PUT", "/failpoints/scheduler.tick", "", 400,
         "failpoint 'scheduler.tick': no actions given");
  const std::string range = "' is not a whole number of milliseconds from 0 to 600000";
  expect("GET", "/failpoints/scheduler.tick/paused", "", 400,
         "timeout_ms is required, as in ?timeout_ms=5000");
  for (const std::string bad : {"abc", "-1", "600001", "", "5ms"}) {
    expect("GET", "/failpoints/scheduler.tick/paused?timeout_ms=" + bad, "", 400,
           "timeout_ms '" + bad + range);
  }
  expect("GET", "/failpoints/scheduler.tick/paused?timeout_ms=1", "", 408,
         "no thread paused at 'scheduler.tick' within 1 ms");
  expect("POST", "/failpoints", "", 405, "POST is not allowed on /failpoints");
  expect("GET", "/failpoints/scheduler.tick", "", 405,
         "GET is not allowed on /failpoints/scheduler.tick");
  expect("GET", "/failpoints/scheduler.tick/resume", "", 405,
         "GET is not allowed on /failpoints/scheduler.tick/resume");
  expect("GET", "/other", "", 404,
         "no route GET /other (routes: GET /failpoints, PUT|DELETE /failpoints/SITE, GET "
         "/failpoints/SITE/paused?timeout_ms=N, POST /failpoints/SITE/resume)");
  // httplib refuses a POST without Content-Length before routing (what `curl -X POST` sends).
  const std::string raw = RawExchange(AF_INET, port_,
                                      "POST /failpoints/scheduler.tick/resume HTTP/1.1\r\nHost: "
                                      "x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(raw.substr(0, raw.find("\r\n")), "HTTP/1.1 400 Bad Request");
  EXPECT_THAT(raw, ::testing::EndsWith(
                       "{\"error\":\"bad request: POST /failpoints/scheduler.tick/resume could "
                       "not be read (a POST or PUT needs a Content-Length; with curl, give -d "
                       "'')\"}\n"));
  // Nothing paused: resuming is no error, it releases nobody. A bad PUT armed nothing.
  const HttpReply reply = call("POST", "/failpoints/scheduler.tick/resume");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(Body(reply), (json{{"site", "scheduler.tick"}, {"resumed", 0}}));
  EXPECT_EQ(listed("scheduler.tick").at("actions"), nullptr);
  // None of this disturbed the SuperLink.
  ::kill(process->pid(), SIGTERM);
  EXPECT_EQ(process->wait_exit(kSafety).status, 3);
}

TEST_F(FailpointControlProcess, NonLoopbackAddressExits104BeforeAnythingStarts) {
  auto process = start({"--failpoint-control", "0.0.0.0:0"});
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_EQ(exit.status, 104);
  EXPECT_THAT(process->stderr_text(),
              HasSubstr("ERROR :     Exit Code: 104\n--failpoint-control '0.0.0.0:0': not a "
                        "loopback address (127.0.0.0/8, ::1 or localhost)\n"));
  EXPECT_THAT(process->stderr_text(), Not(HasSubstr("Starting Flower SuperLink")));
  EXPECT_FALSE(std::filesystem::exists(ready_path()));
}

TEST_F(FailpointControlProcess, EnvironmentVariableIsCheckedAndNamedToo) {
  auto refused = start({}, {"SUPERLINK_FAILPOINT_CONTROL=10.1.2.3:5"});
  EXPECT_EQ(refused->wait_exit(kSafety).status, 104);
  // The whole line, so the name the message starts with is the variable's, never the flag's.
  EXPECT_THAT(
      refused->stderr_text(),
      HasSubstr("ERROR :     Exit Code: 104\nSUPERLINK_FAILPOINT_CONTROL '10.1.2.3:5': not a "
                "loopback address (127.0.0.0/8, ::1 or localhost)\n"));
  EXPECT_THAT(refused->stderr_text(), Not(HasSubstr("--failpoint-control")));

  auto served = start({"--isolation", "process"}, {"SUPERLINK_FAILPOINT_CONTROL=localhost:0"});
  ASSERT_TRUE(served->wait_for_file(ready_path(), kSafety)) << served->stderr_text();
  const std::string address =
      json::parse(test_support::read_file(ready_path())).value("failpoint_control_address", "");
  ASSERT_THAT(address, ::testing::StartsWith("127.0.0.1:"));
  port_ = std::stoi(address.substr(10));
  EXPECT_EQ(call("GET", "/failpoints").status, 200);
}

TEST_F(FailpointControlProcess, TheFlagWinsOverTheEnvironment) {
  auto process = start({"--isolation", "process", "--failpoint-control", "127.0.0.1:0"},
                       {"SUPERLINK_FAILPOINT_CONTROL=10.1.2.3:5"});
  ASSERT_TRUE(process->wait_for_file(ready_path(), kSafety)) << process->stderr_text();
  EXPECT_THAT(test_support::read_file(ready_path()), HasSubstr("\"failpoint_control_address\":"));
}

TEST_F(FailpointControlProcess, WithoutTheFlagTheReadyFileHasNoControlAddress) {
  auto process = start({"--isolation", "process"});
  ASSERT_TRUE(process->wait_for_file(ready_path(), kSafety)) << process->stderr_text();
  EXPECT_THAT(test_support::read_file(ready_path()), Not(HasSubstr("failpoint_control_address")));
}

TEST_F(FailpointControlProcess, ServesOnIpv6Loopback) {
  auto process = start({"--isolation", "process", "--failpoint-control", "[::1]:0"});
  ASSERT_TRUE(process->wait_for_file(ready_path(), kSafety)) << process->stderr_text();
  const std::string address =
      json::parse(test_support::read_file(ready_path())).value("failpoint_control_address", "");
  ASSERT_THAT(address, ::testing::StartsWith("[::1]:"));
  const std::string reply =
      RawExchange(AF_INET6, std::stoi(address.substr(6)),
                  "GET /failpoints HTTP/1.1\r\nHost: ::1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(reply.substr(0, reply.find("\r\n")), "HTTP/1.1 200 OK");
}

TEST_F(FailpointControlProcess, APortThatCannotBeBoundExits104NamingIt) {
  ExitInfo exit;
  std::string address;
  std::unique_ptr<test_support::SpawnedProcess> process;
  {
    const test_support::TakenPort taken;
    ASSERT_TRUE(taken.bound);
    address = taken.address;
    process = start({"--failpoint-control", address});
    exit = process->wait_exit(kSafety);
  }
  EXPECT_EQ(exit.status, 104);
  EXPECT_THAT(process->stderr_text(), HasSubstr("--failpoint-control '" + address +
                                                "': cannot bind: Address already in use\n"));
  EXPECT_THAT(process->stderr_text(), Not(HasSubstr("Starting Flower SuperLink")));
}

}  // namespace
}  // namespace superlink
