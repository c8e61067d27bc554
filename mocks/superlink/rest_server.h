// The REST Fleet API (Flower 1.18): seven POST routes under /api/v0/fleet/, served by
// cpp-httplib. run() is the body of the critical thread `rest`.
#pragma once

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>

namespace httplib {
class Server;
}

namespace superlink {

class RestServer {
 public:
  RestServer();
  ~RestServer();
  RestServer(const RestServer&) = delete;
  RestServer& operator=(const RestServer&) = delete;

  // Site rest.start, binds host:port (0 = any free port), site rest.listen, calls on_bound
  // with the bound port, and serves until stopped (connections that arrive before serving wait
  // in the listen backlog). Returns quietly when a `return` task fired or
  // the bind failed (after printing uvicorn's bind error on stderr, as the real thread does
  // before its sys.exit); rethrows the cause a `panic` at rest.request recorded.
  void run(const std::string& host, int port, const std::function<void(int port)>& on_bound);

  // Stops serving (from any thread); waits until the server runs, since httplib drops a stop()
  // that comes before listen.
  void stop();

 private:
  void add_routes();
  bool before_routing(const std::string& path, int& status);
  std::uint64_t fresh_node_id();
  void stop_from_handler(std::exception_ptr cause);

  std::unique_ptr<httplib::Server> server_;
  std::mutex mutex_;
  std::exception_ptr cause_;  // why a handler took the server down; null for a quiet stop
  std::mt19937_64 node_ids_;
};

// The line uvicorn prints when its bind fails, e.g.
// ERROR:    [Errno 98] error while attempting to bind on address ('127.0.0.1', 9095): address
// already in use
std::string uvicorn_bind_error(const std::string& host, int port, int error);

}  // namespace superlink
