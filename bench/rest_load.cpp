// rest_load: how the mock's REST Fleet API holds under load, over loopback, against any
// mock-superlink binary (so two builds can be compared side by side):
//   slow       S clients that send half a request head and then nothing, while 50 pings are
//              timed one after the other on fresh connections (median latency, pings unanswered
//              within 10 s);
//   burst      1,000 clients connect at once and each sends one ping (answered within 30 s, time
//              until the last answer);
//   big-body   one POST announcing 1 GiB, streamed in 1 MiB writes until the server answers or
//              closes (status, bytes it took, the mock's peak RSS);
//   pipeline   100 pings written at once on one keep-alive connection (answers within 10 s, time).
// Each case runs against a fresh mock (isolation process, fleet-api-type rest). Bounded: at most
// about 1 GiB sent and 2 minutes in all. Nothing here is a test; no number is asserted.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "superlink/testing/http_client.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

const std::string kPing =
    "POST /api/v0/fleet/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/protobuf\r\n"
    "Accept: application/protobuf\r\nContent-Length: 0\r\n";

// A mock serving the REST Fleet API on a free loopback port, killed when this goes away.
class Mock {
 public:
  explicit Mock(const std::string& binary) {
    dir_ = std::filesystem::temp_directory_path() / ("rest_load." + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string ready = (dir_ / "ready.json").string();
    const int watch = ::inotify_init1(IN_CLOEXEC);
    ::inotify_add_watch(watch, dir_.c_str(), IN_MOVED_TO | IN_CLOSE_WRITE);
    std::vector<std::string> args{binary,
                                  "--insecure",
                                  "--isolation",
                                  "process",
                                  "--fleet-api-type",
                                  "rest",
                                  "--fleet-api-address",
                                  "127.0.0.1:0",
                                  "--serverappio-api-address",
                                  "127.0.0.1:0",
                                  "--exec-api-address",
                                  "127.0.0.1:0",
                                  "--ready-file",
                                  ready};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    if (posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ) != 0) {
      std::fprintf(stderr, "rest_load: cannot start %s\n", binary.c_str());
      std::exit(2);
    }
    posix_spawn_file_actions_destroy(&actions);
    while (!std::filesystem::exists(ready)) {
      pollfd fd{watch, POLLIN, 0};
      if (::poll(&fd, 1, 10000) <= 0) {
        std::fprintf(stderr, "rest_load: the mock never got ready\n");
        std::exit(2);
      }
      char events[4096];
      [[maybe_unused]] ssize_t n = ::read(watch, events, sizeof events);
    }
    ::close(watch);
    std::ifstream in(ready);
    const std::string json((std::istreambuf_iterator<char>(in)), {});
    const std::string key = "\"fleet_api_address\":\"127.0.0.1:";
    port_ = std::atoi(json.c_str() + json.find(key) + key.size());
  }
  ~Mock() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    std::filesystem::remove_all(dir_);
  }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // VmHWM (peak resident memory) in MiB.
  double peak_rss_mib() const {
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
    }
    return -1;
  }

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

using superlink::test_support::connect_loopback;
using superlink::test_support::whole_http_answers;

// Whole answers to `request` on `fd` within `timeout`.
int exchange(int fd, const std::string& request, int answers, std::chrono::milliseconds timeout) {
  return whole_http_answers(superlink::test_support::http_exchange(fd, request, answers, timeout));
}

double median(std::vector<double> values) {
  if (values.empty()) return -1;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

void slow(const std::string& binary, int slow_clients) {
  Mock mock(binary);
  std::vector<int> held;
  for (int i = 0; i < slow_clients; ++i) {
    const int fd = connect_loopback(mock.port(), false);
    const std::string half = "POST /api/v0/fleet/ping HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    [[maybe_unused]] ssize_t n = ::send(fd, half.data(), half.size(), MSG_NOSIGNAL);
    held.push_back(fd);
  }
  std::vector<double> latencies;
  int unanswered = 0;
  for (int i = 0; i < 50; ++i) {
    const auto start = Clock::now();
    const int fd = connect_loopback(mock.port(), false);
    if (exchange(fd, kPing + "Connection: close\r\n\r\n", 1, std::chrono::seconds(10)) == 1) {
      latencies.push_back(ms_since(start));
    } else {
      ++unanswered;
    }
    ::close(fd);
    if (unanswered >= 3) break;  // it is starved: three 10 s waits say enough
  }
  for (int fd : held) ::close(fd);
  std::printf(
      "| slow (%d slow clients) | ping median %.2f ms; %d of %zu pings unanswered in 10 s |\n",
      slow_clients, median(latencies), unanswered, latencies.size() + unanswered);
}

void burst(const std::string& binary, int clients) {
  Mock mock(binary);
  const auto start = Clock::now();
  std::vector<pollfd> fds;
  std::vector<std::string> replies(static_cast<std::size_t>(clients));
  std::vector<bool> sent(static_cast<std::size_t>(clients), false);
  for (int i = 0; i < clients; ++i)
    fds.push_back({connect_loopback(mock.port(), true), POLLOUT, 0});
  const std::string request = kPing + "Connection: close\r\n\r\n";
  int answered = 0, open = clients;
  double last = 0;
  const auto deadline = start + std::chrono::seconds(30);
  char buffer[4096];
  while (open > 0 && Clock::now() < deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (::poll(fds.data(), fds.size(), static_cast<int>(left.count())) <= 0) break;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      if (!sent[i] && (fds[i].revents & POLLOUT)) {
        if (::send(fds[i].fd, request.data(), request.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(request.size())) {
          sent[i] = true;
          fds[i].events = POLLIN;
        }
        continue;
      }
      const ssize_t n = ::recv(fds[i].fd, buffer, sizeof buffer, 0);
      if (n > 0) replies[i].append(buffer, static_cast<std::size_t>(n));
      if (n <= 0 || whole_http_answers(replies[i]) == 1) {
        if (whole_http_answers(replies[i]) == 1) {
          ++answered;
          last = ms_since(start);
        }
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
  for (auto& p : fds)
    if (p.fd >= 0) ::close(p.fd);
  std::printf(
      "| burst (%d clients at once) | %d answered within 30 s; last answer after %.0f ms |\n",
      clients, answered, last);
}

void big_body(const std::string& binary) {
  Mock mock(binary);
  constexpr std::size_t kGiB = std::size_t{1} << 30;
  const int fd = connect_loopback(mock.port(), false);
  const std::string head =
      "POST /api/v0/fleet/push-messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
      "application/protobuf\r\nAccept: application/protobuf\r\nContent-Length: " +
      std::to_string(kGiB) + "\r\n\r\n";
  [[maybe_unused]] ssize_t n = ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  const std::string chunk(std::size_t{1} << 20, 'x');
  std::size_t sent = 0;
  std::string reply;
  char buffer[4096];
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::seconds(60);
  while (Clock::now() < deadline && whole_http_answers(reply) == 0) {
    pollfd p{fd, static_cast<short>(POLLIN | (sent < kGiB ? POLLOUT : 0)), 0};
    if (::poll(&p, 1, 1000) < 0) break;
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
      if (got <= 0) break;
      reply.append(buffer, static_cast<std::size_t>(got));
      continue;
    }
    if ((p.revents & POLLOUT) && sent < kGiB) {
      const ssize_t put =
          ::send(fd, chunk.data(), std::min(chunk.size(), kGiB - sent), MSG_NOSIGNAL);
      if (put <= 0) break;
      sent += static_cast<std::size_t>(put);
    }
  }
  ::close(fd);
  const int status = reply.rfind("HTTP/1.1 ", 0) == 0 ? std::atoi(reply.c_str() + 9) : 0;
  std::printf(
      "| big-body (1 GiB announced) | answered %d after %.0f ms, %zu MiB sent; mock peak RSS %.0f "
      "MiB |\n",
      status, ms_since(start), sent >> 20, mock.peak_rss_mib());
}

void pipeline(const std::string& binary, int requests) {
  std::vector<double> times;
  int least = requests;
  for (int round = 0; round < 5; ++round) {
    Mock mock(binary);
    std::string batch;
    for (int i = 0; i < requests; ++i) batch += kPing + "\r\n";
    const int fd = connect_loopback(mock.port(), false);
    const auto start = Clock::now();
    const int got = exchange(fd, batch, requests, std::chrono::seconds(10));
    times.push_back(ms_since(start));
    least = std::min(least, got);
    ::close(fd);
  }
  std::printf(
      "| pipeline (%d requests, one write) | at least %d answered within 10 s; median %.1f ms (5 "
      "rounds) |\n",
      requests, least, median(times));
}

}  // namespace

int main(int argc, char** argv) {
  std::string mock;
  CLI::App app{"The mock's REST Fleet API under slow clients, a burst, a big body and pipelining"};
  app.add_option("--mock", mock, "the mock-superlink binary")->required()->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);
  // 1,000 client sockets in this process.
  rlimit files{};
  ::getrlimit(RLIMIT_NOFILE, &files);
  files.rlim_cur = files.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &files);
  std::signal(SIGPIPE, SIG_IGN);
  std::printf("| case | %s |\n| --- | --- |\n", mock.c_str());
  slow(mock, 8);
  slow(mock, 64);
  burst(mock, 1000);
  pipeline(mock, 100);
  big_body(mock);
  return 0;
}
