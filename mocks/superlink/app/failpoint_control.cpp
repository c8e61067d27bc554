#include "superlink/app/failpoint_control.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "failpoint/failpoint.h"

namespace superlink {
namespace {

using nlohmann::json;

constexpr const char* kEnvVar = "SUPERLINK_FAILPOINT_CONTROL";
constexpr const char* kSitePath = R"(/failpoints/([^/]+))";
constexpr const char* kPausedPath = R"(/failpoints/([^/]+)/paused)";
constexpr const char* kResumePath = R"(/failpoints/([^/]+)/resume)";

bool is_loopback(const Address& address) {
  if (address.host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, address.host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, address.host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

void answer(httplib::Response& response, int status, const json& body) {
  response.status = status;
  response.set_content(body.dump() + "\n", "application/json");
}

void answer_error(httplib::Response& response, int status, const std::string& message) {
  answer(response, status, json{{"error", message}});
}

json actions_json(const std::optional<std::string>& actions) {
  return actions ? json(*actions) : json(nullptr);
}

json site_json(const failpoint::SiteState& s) {
  return json{{"site", s.name},
              {"where", s.where},
              {"actions", actions_json(s.actions)},
              {"hits", s.hits},
              {"paused", s.paused}};
}

// The site named in the path, checked against the declared sites: 404 when unknown.
std::optional<std::string> known_site(const httplib::Request& request,
                                      httplib::Response& response) {
  std::string site = request.matches[1];
  try {
    failpoint::check_site(site);
  } catch (const failpoint::UnknownSiteError& e) {
    answer_error(response, 404, e.what());
    return std::nullopt;
  }
  return site;
}

// timeout_ms from the query: a whole number of milliseconds, 0 to kMaxPausedTimeoutMs.
std::optional<int> paused_timeout(const httplib::Request& request, httplib::Response& response) {
  if (!request.has_param("timeout_ms")) {
    answer_error(response, 400, "timeout_ms is required, as in ?timeout_ms=5000");
    return std::nullopt;
  }
  const std::string text = request.get_param_value("timeout_ms");
  int ms = -1;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size() || ms < 0 ||
      ms > kMaxPausedTimeoutMs) {
    answer_error(response, 400,
                 "timeout_ms '" + text + "' is not a whole number of milliseconds from 0 to " +
                     std::to_string(kMaxPausedTimeoutMs));
    return std::nullopt;
  }
  return ms;
}

void add_routes(httplib::Server& server) {
  server.Get("/failpoints", [](const httplib::Request&, httplib::Response& response) {
    json sites = json::array();
    for (const auto& s : failpoint::site_states()) sites.push_back(site_json(s));
    answer(response, 200, json{{"failpoints", sites}});
  });
  server.Put(kSitePath, [](const httplib::Request& request, httplib::Response& response) {
    const auto site = known_site(request, response);
    if (!site) return;
    try {
      failpoint::configure_one(*site, request.body);
    } catch (const failpoint::SpecError& e) {
      answer_error(response, 400, e.what());
      return;
    }
    spdlog::debug("failpoint control: armed {}={}", *site, request.body);
    answer(response, 200,
           json{{"site", *site}, {"actions", actions_json(failpoint::armed_actions(*site))}});
  });
  server.Delete(kSitePath, [](const httplib::Request& request, httplib::Response& response) {
    const auto site = known_site(request, response);
    if (!site) return;
    failpoint::disarm(*site);
    spdlog::debug("failpoint control: disarmed {}", *site);
    answer(response, 200, json{{"site", *site}, {"actions", nullptr}});
  });
  server.Get(kPausedPath, [](const httplib::Request& request, httplib::Response& response) {
    const auto site = known_site(request, response);
    if (!site) return;
    const auto ms = paused_timeout(request, response);
    if (!ms) return;
    if (!failpoint::wait_paused(*site, std::chrono::milliseconds(*ms))) {
      answer_error(response, 408,
                   "no thread paused at '" + *site + "' within " + std::to_string(*ms) + " ms");
      return;
    }
    for (const auto& s : failpoint::site_states()) {
      if (s.name == *site) answer(response, 200, site_json(s));
    }
  });
  server.Post(kResumePath, [](const httplib::Request& request, httplib::Response& response) {
    const auto site = known_site(request, response);
    if (!site) return;
    const std::size_t resumed = failpoint::resume(*site);
    spdlog::debug("failpoint control: resumed {} thread(s) at {}", resumed, *site);
    answer(response, 200, json{{"site", *site}, {"resumed", resumed}});
  });

  // Every other method on these paths, and every other path, answers a JSON error too.
  const auto not_allowed = [](const httplib::Request& request, httplib::Response& response) {
    answer_error(response, 405, request.method + " is not allowed on " + request.path);
  };
  server.Post("/failpoints", not_allowed);
  server.Put("/failpoints", not_allowed);
  server.Delete("/failpoints", not_allowed);
  server.Get(kSitePath, not_allowed);
  server.Post(kSitePath, not_allowed);
  server.Put(kPausedPath, not_allowed);
  server.Post(kPausedPath, not_allowed);
  server.Delete(kPausedPath, not_allowed);
  server.Get(kResumePath, not_allowed);
  server.Put(kResumePath, not_allowed);
  server.Delete(kResumePath, not_allowed);
  server.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) return;
    if (response.status == 400) {
      // httplib refuses a POST or PUT it could not read (no Content-Length) before routing.
      answer_error(response, 400,
                   "bad request: " + request.method + " " + request.path +
                       " could not be read (a POST or PUT needs a Content-Length; with curl, "
                       "give -d '')");
    } else if (response.status == 404) {
      answer_error(response, 404,
                   "no route " + request.method + " " + request.path +
                       " (routes: GET /failpoints, PUT|DELETE /failpoints/SITE, GET "
                       "/failpoints/SITE/paused?timeout_ms=N, POST /failpoints/SITE/resume)");
    }
  });
}

struct Control {
  httplib::Server server;
  std::string address;
};

std::mutex g_mutex;
Control* g_control = nullptr;  // never destroyed: its threads serve until _exit

}  // namespace

Address parse_control_address(const std::string& text, const std::string& source) {
  auto address = parse_address(text);
  if (!address) {
    throw ControlAddressError(source + " '" + text + "': expected HOST:PORT, as in 127.0.0.1:0");
  }
  if (!is_loopback(*address)) {
    throw ControlAddressError(source + " '" + text +
                              "': not a loopback address (127.0.0.0/8, ::1 or localhost)");
  }
  if (address->host == "localhost") address->host = "127.0.0.1";
  return *address;
}

void start_failpoint_control_or_exit(const std::string& flag, ExitStatusMode mode) {
  const char* env = std::getenv(kEnvVar);
  const bool from_flag = !flag.empty();
  if (!from_flag && (env == nullptr || *env == '\0')) return;
  const std::string text = from_flag ? flag : env;
  const std::string source = from_flag ? "--failpoint-control" : kEnvVar;
  Address address;
  try {
    address = parse_control_address(text, source);
  } catch (const ControlAddressError& e) {
    flwr_exit(exit_code::kInvalidArgs, e.what(), mode);
  }
  auto* control = new Control;
  add_routes(control->server);
  // A POST without Content-Length (curl -X POST URL) is read until the client closes or this
  // timeout passes, then refused; loopback clients send a request at once, so 1 s is plenty.
  control->server.set_read_timeout(1, 0);
  errno = 0;
  int port = address.port;
  if (port == 0) {
    port = control->server.bind_to_any_port(address.host);
  } else if (!control->server.bind_to_port(address.host, port)) {
    port = -1;
  }
  if (port < 0) {
    // errno is still bind(2)'s: httplib only closes the socket after the failed bind.
    flwr_exit(exit_code::kInvalidArgs,
              source + " '" + text + "': cannot bind: " + std::strerror(errno), mode);
  }
  address.port = port;
  control->address = format_address(address);
  {
    std::lock_guard lock(g_mutex);
    g_control = control;
  }
  spdlog::debug("Failpoint control on http://{}", control->address);
  std::thread([control] {
    pthread_setname_np(pthread_self(), "fp-control");
    control->server.listen_after_bind();
    spdlog::warn("Failpoint control on {} stopped serving", control->address);
  }).detach();
}

std::string failpoint_control_address() {
  std::lock_guard lock(g_mutex);
  return g_control ? g_control->address : std::string();
}

}  // namespace superlink
