// The REST Fleet API (Flower 1.18): the answers of FleetRoutes, served over HTTP/1.1 (Boost.Beast's
// parser and serializer) on the mock's own selector event loop - the critical thread `rest`,
// single-threaded like uvicorn on asyncio - with uvicorn's lines on stderr and its access log on
// stdout. Every socket is non-blocking, so slow clients hold no one else up; requests on one
// connection may be pipelined; a body over kMaxBodyBytes is refused from its header, before any
// of it is read. The loop's wait failing kills the thread, as it kills uvicorn's; accept failing
// for want of resources is reported as asyncio reports it, and accepting pauses for 1 s.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "superlink/fleet/fleet_routes.h"

namespace superlink {

class SelectorLoop;

// The largest request body accepted (64 MiB): more is answered 413 and the connection closed.
inline constexpr std::size_t kMaxBodyBytes = std::size_t{64} << 20;
// The largest request head (request line and headers), h11's limit under uvicorn: 16 KiB.
inline constexpr std::size_t kMaxHeadBytes = std::size_t{16} << 10;
// The listen backlog: uvicorn's default.
inline constexpr int kListenBacklog = 2048;

class RestServer {
 public:
  explicit RestServer(StateFactory& states);
  RestServer(const RestServer&) = delete;
  RestServer& operator=(const RestServer&) = delete;

  // Site rest.start, `Starting Flower REST server` and uvicorn's start-up lines, binds host:port
  // (0 = any free port), site rest.listen, calls on_bound with the bound port, `Uvicorn running
  // on ...`, and serves until stopped (connections that arrive before serving wait in the listen
  // backlog). Returns quietly when a `return` task fired or the bind failed (after uvicorn's bind
  // error and shutdown lines, as the real thread prints them before its sys.exit); rethrows the
  // cause a `panic` at rest.request recorded. Every connection is closed when it returns.
  void run(const std::string& host, int port, const std::function<void(int port)>& on_bound);

  // Called once, on the server's thread, the moment a panic at rest.request or a failed wait
  // decides the server dies (before it unwinds and run() rethrows). Set before run().
  void on_failure(std::function<void(std::exception_ptr cause)> listener);

  // Stops serving, from any thread, at any time (a stop before run() makes run() end at once).
  void stop();

  // Site rest.request for one request, on the server's thread: nullopt when the request goes on
  // to the routes, else the status to answer. A panic or a quiet `return` stops the server.
  std::optional<int> request_site(const std::string& target);
  FleetRoutes& routes() { return routes_; }

 private:
  void stop_with(std::exception_ptr cause);

  FleetRoutes routes_;
  std::function<void(std::exception_ptr)> on_failure_;
  std::mutex mutex_;
  SelectorLoop* loop_ = nullptr;  // while run() serves
  bool stop_requested_ = false;
  std::exception_ptr cause_;  // why the server went down; null for a quiet stop
};

// The line uvicorn prints when its bind fails, e.g.
// ERROR:    [Errno 98] error while attempting to bind on address ('127.0.0.1', 9095): address
// already in use
std::string uvicorn_bind_error(const std::string& host, int port, int error);

}  // namespace superlink
