// libFuzzer target for the mock's REST request handling. Each input is
//   - parsed as a body by each of the seven Fleet API request messages (protoc's code: it may
//     refuse the bytes, never crash);
//   - sent verbatim over loopback to a RestServer serving in this process (its own thread, as
//     in the mock); the server must answer it or close the connection.
// No failpoint is armed, so the REST thread must survive every input: after each one the
// server thread must still be serving. Built with -DSUPERLINK_FUZZ=ON by clang (see
// docs/robustness.md).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "flower_api/fleet.pb.h"
#include "superlink/fleet/rest_server.h"
#include "superlink/state/link_state.h"
#include "superlink/testing/http_client.h"

namespace {

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "fleet_request_fuzz: %s\n", what.c_str());
  std::abort();
}

template <typename Message>
void parse(std::string_view bytes) {
  Message message;
  if (message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    message.SerializeAsString();  // what parsed must serialise again
  }
}

// The server under test, started once: its thread runs RestServer::run as the mock's `rest`
// thread does and records when run() returns or throws.
class ServedRest {
 public:
  ServedRest() {
    thread_ = std::thread([this] {
      try {
        server_.run("127.0.0.1", 0, [this](int port) {
          std::lock_guard lock(mutex_);
          port_ = port;
          bound_.notify_all();
        });
      } catch (const std::exception& e) {
        finding(std::string("REST thread died: ") + e.what());
      }
      finding("REST thread returned");
    });
    thread_.detach();  // lives as long as the fuzzing process
    std::unique_lock lock(mutex_);
    bound_.wait(lock, [this] { return port_ != 0; });
  }

  int port() const { return port_; }

 private:
  superlink::StateFactory states_{superlink::kInMemoryState};
  superlink::RestServer server_{states_};
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable bound_;
  int port_ = 0;
};

// Sends `bytes` and reads until a whole answer or the server's close. httplib drops the answer
// to a request whose connection is already half-closed, so the connection is half-closed only
// when nothing came back for a moment (the input is then most likely an unfinished request);
// that moment only steers coverage, never the verdict. False when the server neither answered
// nor closed the connection within the safety timeout.
bool exchange(int port, std::string_view bytes) {
  const int fd = superlink::test_support::connect_loopback_reset(port, std::chrono::seconds(30));
  if (fd < 0) return false;
  // The server may answer (and close) before reading everything: a failed send is fine.
  [[maybe_unused]] const ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  pollfd answer{fd, POLLIN, 0};
  if (::poll(&answer, 1, 10) == 0) ::shutdown(fd, SHUT_WR);
  std::string reply;
  const bool ended = superlink::test_support::read_answer(fd, reply);
  ::close(fd);
  return ended;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static ServedRest& rest = *new ServedRest;  // never destroyed: its thread serves to the end
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  parse<flwr::proto::CreateNodeRequest>(input);
  parse<flwr::proto::DeleteNodeRequest>(input);
  parse<flwr::proto::PullMessagesRequest>(input);
  parse<flwr::proto::PushMessagesRequest>(input);
  parse<flwr::proto::PingRequest>(input);
  parse<flwr::proto::GetRunRequest>(input);
  parse<flwr::proto::GetFabRequest>(input);

  if (!exchange(rest.port(), input)) finding("the REST server stopped answering");
  return 0;
}
