// The REST Fleet API (Flower 1.18): the answers of FleetRoutes, served by cpp-httplib with
// uvicorn's lines on stderr and its access log on stdout. run() is the body of the critical
// thread `rest`.
#pragma once

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "superlink/fleet_routes.h"

namespace httplib {
class Server;
}

namespace superlink {

class RestServer {
 public:
  explicit RestServer(StateFactory& states);
  ~RestServer();
  RestServer(const RestServer&) = delete;
  RestServer& operator=(const RestServer&) = delete;

  // Site rest.start, `Starting Flower REST server` and uvicorn's start-up lines, binds host:port
  // (0 = any free port), site rest.listen, calls on_bound with the bound port, `Uvicorn running
  // on ...`, and serves until stopped (connections that arrive before serving wait in the listen
  // backlog). Returns quietly when a `return` task fired or the bind failed (after uvicorn's bind
  // error and shutdown lines, as the real thread prints them before its sys.exit); rethrows the
  // cause a `panic` at rest.request recorded.
  void run(const std::string& host, int port, const std::function<void(int port)>& on_bound);

  // Stops serving (from any thread); waits until the server runs, since httplib drops a stop()
  // that comes before listen.
  void stop();

 private:
  void add_routes();
  bool before_routing(const std::string& path, int& status);
  void stop_from_handler(std::exception_ptr cause);

  FleetRoutes routes_;
  std::unique_ptr<httplib::Server> server_;
  std::mutex mutex_;
  std::exception_ptr cause_;  // why a handler took the server down; null for a quiet stop
};

// The line uvicorn prints when its bind fails, e.g.
// ERROR:    [Errno 98] error while attempting to bind on address ('127.0.0.1', 9095): address
// already in use
std::string uvicorn_bind_error(const std::string& host, int port, int error);

}  // namespace superlink
