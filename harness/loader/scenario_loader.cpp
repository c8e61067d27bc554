#include "harness/scenario_loader.h"

// The schema of a scenario file: which keys exist, what each must hold, which combinations are
// impossible. Reading values is scenario_toml_reader's, the `at` grammar event_anchor's, files
// and folders scenario_files'.
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <limits>

#include "control_event_reader.h"
#include "event_anchor.h"
#include "failpoint/failpoint.h"
#include "fleet_client.h"
#include "flower_api/fleet_api_names.h"
#include "scenario/scenario_requirements.h"
#include "scenario/scenario_versions.h"
#include "scenario_outside_faults.h"
#include "scenario_toml_reader.h"
#include "substitutions.h"
#include "syscall_event_reader.h"

namespace harness {

namespace {

std::string describe_position(const std::string& file, std::size_t line, std::size_t column,
                              const std::string& message) {
  if (line == 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

}  // namespace

ScenarioError::ScenarioError(std::string file, std::size_t line, std::size_t column,
                             std::string message)
    : std::runtime_error(describe_position(file, line, column, message)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      message_(std::move(message)) {}

namespace {

using internal::closest;
using internal::in_quotes;
using internal::join;
using internal::parse_at;
using internal::Reader;
using internal::shortened;
using superlink_api::kApiPorts;

constexpr std::array<std::string_view, 7> kMethods = {"GET",   "POST", "PUT",    "DELETE",
                                                      "PATCH", "HEAD", "OPTIONS"};

// Every `{name}` in a command, args or env value must be one the harness fills in.
void check_substitutions(const Reader& reader, const toml::node& value, const std::string& name) {
  const auto unknown = find_unknown_substitution(**value.as_string());
  if (!unknown) return;
  std::string message =
      "'" + name + "' uses an unknown substitution '{" + shortened(unknown->name) + "}'";
  if (auto suggestion = closest(unknown->name, kSubstitutions)) {
    message += "; did you mean '{" + std::string(*suggestion) + "}'?";
  } else {
    message += " (known: " + join(kSubstitutions) + "; {{name}} is a literal {name})";
  }
  reader.fail(value.source(), message);
}

void check_substitutions_in(const Reader& reader, const toml::node& node, const std::string& name) {
  if (const toml::array* array = node.as_array()) {
    for (std::size_t i = 0; i < array->size(); ++i) {
      check_substitutions(reader, (*array)[i], name + "[" + std::to_string(i) + "]");
    }
  } else if (const toml::table* table = node.as_table()) {
    for (const auto& [key, value] : *table) {
      check_substitutions(reader, value, name + "." + std::string(key.str()));
    }
  }
}

void read_ready(const Reader& reader, const toml::node& node, TargetSpec& target) {
  if (const toml::table* table = node.as_table()) {
    reader.check_keys(*table, "in 'superlink.ready'", {"line"});
    const toml::node* line = table->get("line");
    if (line == nullptr) {
      reader.fail(node.source(),
                  "'superlink.ready' as a table needs 'line', the regex of the "
                  "output line that says the target is ready");
    }
    target.ready = Readiness::Line;
    target.ready_line = reader.regex(*line, "superlink.ready.line");
    return;
  }
  const std::string mode = reader.one_of(node, "superlink.ready",
                                         std::array<std::string_view, 3>{"file", "ports", "none"});
  target.ready = mode == "file"    ? Readiness::File
                 : mode == "ports" ? Readiness::Ports
                                   : Readiness::None;
}

void read_superlink(const Reader& reader, const toml::table& table, TargetSpec& target) {
  reader.check_keys(table, "in [superlink]",
                    {"kind", "command", "isolation", "fleet_api_type", "exit_status", "args", "env",
                     "ready", "ready_file", "database", "flower_version"});
  if (auto* node = table.get("kind")) {
    target.kind = reader.one_of(*node, "superlink.kind",
                                std::array<std::string_view, 2>{"mock", "flower"}) == "flower"
                      ? TargetKind::Flower
                      : TargetKind::Mock;
  }
  if (auto* node = table.get("command")) {
    if (table.contains("kind")) {
      reader.fail(reader.key_source(table, "command"),
                  "'superlink.command' cannot be combined with 'superlink.kind': a command is a "
                  "target of its own");
    }
    target.command = reader.strings(*node, "superlink.command");
    if (target.command.empty()) reader.fail(node->source(), "'superlink.command' is empty");
    check_substitutions_in(reader, *node, "superlink.command");
    target.kind = TargetKind::Command;
  }
  if (auto* node = table.get("isolation")) {
    target.isolation = reader.one_of(*node, "superlink.isolation",
                                     std::array<std::string_view, 2>{"subprocess", "process"});
  }
  if (auto* node = table.get("fleet_api_type")) {
    target.fleet_api_type =
        reader.one_of(*node, "superlink.fleet_api_type",
                      std::array<std::string_view, 3>{"grpc-rere", "grpc-adapter", "rest"});
  }
  if (auto* node = table.get("exit_status")) {
    if (target.kind == TargetKind::Flower) {
      reader.fail(reader.key_source(table, "exit_status"),
                  "'superlink.exit_status' is a flag of the mock's own; kind = \"flower\" takes "
                  "Flower's flags only and exits with Flower's statuses");
    }
    target.exit_status = reader.one_of(*node, "superlink.exit_status",
                                       std::array<std::string_view, 2>{"documented", "flower"});
  }
  if (auto* node = table.get("args")) {
    target.args = reader.strings(*node, "superlink.args");
    check_substitutions_in(reader, *node, "superlink.args");
  }
  if (auto* node = table.get("env")) {
    target.env = reader.string_table(*node, "superlink.env");
    check_substitutions_in(reader, *node, "superlink.env");
  }
  if (auto* node = table.get("ready")) {
    if (table.contains("ready_file")) {
      reader.fail(reader.key_source(table, "ready_file"),
                  "'superlink.ready_file' cannot be combined with 'superlink.ready' (ready_file = "
                  "false is ready = \"none\")");
    }
    read_ready(reader, *node, target);
  }
  if (auto* node = table.get("ready_file")) {
    target.ready =
        reader.boolean(*node, "superlink.ready_file") ? Readiness::File : Readiness::None;
  }
  if (auto* node = table.get("database")) {
    target.database = reader.one_of(*node, "superlink.database",
                                    std::array<std::string_view, 2>{"memory", "file"});
  }
  if (auto* node = table.get("flower_version")) {
    target.flower_version =
        reader.one_of(*node, "superlink.flower_version", known_flower_versions());
  }
}

// A route must be one of some version's: a scenario may pin that a renamed one is gone (404).
std::vector<std::string_view> known_routes() {
  std::vector<std::string_view> routes;
  for (const auto& names : superlink_api::kVersions) {
    for (std::string_view route : names.fleet_routes) {
      if (std::find(routes.begin(), routes.end(), route) == routes.end()) routes.push_back(route);
    }
  }
  return routes;
}

// Where a site is first named in the file.
void note_position(Scenario& scenario, const std::string& site, const toml::source_region& where) {
  scenario.site_positions.try_emplace(site, where.begin.line, where.begin.column);
}

void read_failpoints(const Reader& reader, const toml::table& table, Scenario& scenario) {
  std::map<std::string, std::string>& failpoints = scenario.failpoints;
  for (const auto& [key, node] : table) {
    const std::string site(key.str());
    note_position(scenario, site, key.source());
    if (node.is_table()) {
      // `scheduler.tick = "..."` unquoted is a dotted key: TOML makes a table of it.
      reader.fail(key.source(), "failpoint site '" + shortened(site) +
                                    "' is a table: quote site names that contain dots, as in "
                                    "\"scheduler.tick\" = \"panic\"");
    }
    const std::string actions = reader.string(node, "failpoints.\"" + site + "\"");
    try {
      failpoint::check_actions(site, actions);
    } catch (const failpoint::SpecError& error) {
      reader.fail(node.source(), error.what());
    }
    failpoints[site] = actions;
  }
}

void read_setup(const Reader& reader, const toml::table& table, Setup& setup) {
  reader.check_keys(table, "in [setup]", {"occupy"});
  if (auto* node = table.get("occupy")) {
    if (!node->is_array()) reader.wrong_type(*node, "setup.occupy", "an array of strings");
    std::size_t index = 0;
    for (const toml::node& item : *node->as_array()) {
      const std::string name = "setup.occupy[" + std::to_string(index++) + "]";
      std::string port = reader.one_of(item, name, kApiPorts);
      if (std::find(setup.occupy.begin(), setup.occupy.end(), port) != setup.occupy.end()) {
        reader.fail(item.source(), "'" + name + "' repeats " + in_quotes(port));
      }
      setup.occupy.push_back(std::move(port));
    }
  }
}

namespace {

// `grpc = "RPC"` with its `message`, `sign` and `expect_code`: the RPC must be one of the Fleet
// service of the target's version (any version's when the scenario pins none), the message must
// fit its request type.
GrpcEvent read_grpc(const Reader& reader, const toml::table& table, const toml::node& grpc,
                    const std::string& prefix, const TargetSpec& target) {
  const std::string rpc = reader.string(grpc, prefix + ".grpc");
  std::vector<std::string_view> known;
  const superlink_api::FleetRpc* found = nullptr;
  for (const auto& names : superlink_api::kVersions) {
    if (!target.flower_version.empty() && names.version != target.flower_version) continue;
    for (const auto& candidate : names.fleet_rpcs) {
      if (std::find(known.begin(), known.end(), candidate.name) == known.end()) {
        known.push_back(candidate.name);
      }
      if (candidate.name == rpc) found = &candidate;
    }
  }
  if (found == nullptr) {
    std::string message =
        "'" + prefix + ".grpc' is not an RPC of the Fleet service" +
        (target.flower_version.empty() ? std::string() : " of " + target.flower_version) + ": " +
        in_quotes(rpc);
    if (auto suggestion = closest(rpc, known)) {
      message += "; did you mean '" + std::string(*suggestion) + "'?";
    } else {
      message += " (known: " + join(known) + ")";
    }
    reader.fail(grpc.source(), message);
  }
  GrpcEvent event;
  event.rpc = rpc;
  event.request_type = std::string(found->request);
  event.response_type = std::string(found->response);
  if (auto* message = table.get("message")) {
    event.message = reader.string(*message, prefix + ".message");
    // {node_id}: the node the run's last CreateNode or RegisterNode made (a number).
    std::string checked = event.message;
    for (std::size_t at; (at = checked.find("{node_id}")) != std::string::npos;) {
      checked.replace(at, 9, "1");
    }
    // {public_key}: the run's public key (PEM) in base64, as a `bytes` field is in JSON.
    for (std::size_t at; (at = checked.find("{public_key}")) != std::string::npos;) {
      checked.replace(at, 12, "AA==");
    }
    const std::string why = superlink_grpc::check_request_json(found->request, checked);
    if (!why.empty()) {
      reader.fail(message->source(), "'" + prefix + ".message' is not a flwr.proto." +
                                         std::string(found->request) + ": " + why);
    }
  }
  if (auto* sign = table.get("sign")) event.sign = reader.boolean(*sign, prefix + ".sign");
  if (auto* code = table.get("expect_code")) {
    const std::string name = reader.string(*code, prefix + ".expect_code");
    std::vector<std::string> names;
    for (int i = 0; !superlink_grpc::status_name(i).empty(); ++i) {
      names.push_back(superlink_grpc::status_name(i));
    }
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      reader.fail(code->source(), "'" + prefix + ".expect_code' is not a gRPC status: " +
                                      in_quotes(name) + " (known: " + join(names) + ")");
    }
    event.expect_code = name;
  }
  return event;
}

}  // namespace

Event read_event(const Reader& reader, const toml::node& node, std::size_t index,
                 const TargetSpec& target) {
  static const std::vector<std::string_view> kKnownRoutes = known_routes();
  const std::string prefix = "events[" + std::to_string(index) + "]";
  if (!node.is_table()) reader.wrong_type(node, prefix, "a table ([[events]])");
  const toml::table& table = *node.as_table();
  reader.check_keys(table, "in [[events]]", internal::kEventKeys);
  Event event;
  if (auto* at = table.get("at")) {
    if (!parse_at(reader.string(*at, prefix + ".at"), event)) {
      reader.fail(at->source(),
                  "'" + prefix +
                      ".at' must be \"spawn\", \"start\", \"ready\", \"fired:SITE\" or "
                      "\"line:REGEX\", "
                      "optionally followed by +<N>ms or +<N>s (as in "
                      "\"ready+250ms\"), not " +
                      in_quotes(**at->as_string()));
    }
  }
  if (event.at == Event::Anchor::Line) {
    reader.check_regex(table.get("at")->source(), event.line_pattern, prefix + ".at");
  }
  if (event.at == Event::Anchor::Ready && effective_readiness(target) == Readiness::None) {
    reader.fail(table.contains("at") ? table.get("at")->source() : table.source(),
                "'" + prefix +
                    "' waits for \"ready\" but the target is never ready (superlink.ready = "
                    "\"none\"; use at = \"start\", \"start+<N>ms\" or \"line:REGEX\")");
  }
  std::vector<std::string_view> does;  // the keys that say what the event does
  for (std::string_view key : internal::kEventActionKeys) {
    if (table.contains(key)) does.push_back(key);
  }
  if (does.size() > 1) {
    reader.fail(reader.key_source(table, does[1]),
                "'" + prefix + "' has both '" + std::string(does[0]) + "' and '" +
                    std::string(does[1]) + "': an event does one thing");
  }
  if (does.empty()) {
    reader.fail(table.source(),
                "'" + prefix + "' needs one of " + join(internal::kEventActionKeys));
  }
  auto* request = table.get("request");
  auto* signal = table.get("signal");
  if (request) {
    std::string route = reader.string(*request, prefix + ".request");
    const bool raw = route.rfind("raw/", 0) == 0 && route.size() > 4;
    const bool absolute = route.starts_with('/');
    if (!raw && !absolute &&
        std::find(kKnownRoutes.begin(), kKnownRoutes.end(), route) == kKnownRoutes.end()) {
      std::string message =
          "'" + prefix + ".request' is not a route or a request path: " + in_quotes(route);
      if (auto suggestion = closest(route, kKnownRoutes)) {
        message += "; did you mean '" + std::string(*suggestion) + "'?";
      } else {
        message += " (known: " + join(kKnownRoutes) + ", raw/<path>, or a path from /)";
      }
      reader.fail(request->source(), message);
    }
    event.action = RequestEvent{.route = std::move(route)};
  } else if (auto* grpc = table.get("grpc")) {
    event.action = read_grpc(reader, table, *grpc, prefix, target);
  } else if (signal) {
    event.action = SignalEvent{reader.signal(*signal, prefix + ".signal")};
  } else if (std::find(internal::kControlActionKeys.begin(), internal::kControlActionKeys.end(),
                       does[0]) != internal::kControlActionKeys.end()) {
    event.action = internal::read_control(reader, table, prefix, target);
  } else if (does[0] == "syscall") {
    event.action = internal::read_syscall(reader, *table.get("syscall"), prefix + ".syscall");
    if (table.contains("count")) {
      reader.fail(reader.key_source(table, "count"),
                  "'" + prefix +
                      ".count' does not apply to 'syscall': say how many calls fail "
                      "with 'syscall.count'");
    }
  } else {
    internal::read_outside_fault(reader, table, does[0], prefix, target, event);
  }
  if (!table.contains("grpc")) {
    for (std::string_view key : internal::kGrpcKeys) {
      if (table.contains(key)) {
        reader.fail(reader.key_source(table, key),
                    "'" + prefix + "." + std::string(key) + "' only applies to a grpc event");
      }
    }
  }
  if (!request) {
    for (std::string_view key : internal::kRequestKeys) {
      if (table.contains(key)) {
        reader.fail(reader.key_source(table, key),
                    "'" + prefix + "." + std::string(key) + "' only applies to a request event");
      }
    }
  }
  if (!request && !table.contains("grpc")) {
    for (std::string_view key : internal::kAnswerKeys) {
      if (table.contains(key)) {
        reader.fail(reader.key_source(table, key),
                    "'" + prefix + "." + std::string(key) + "' only applies to a request event");
      }
    }
  }
  if (!event.as<FailpointControl>() && table.contains("timeout_ms")) {
    reader.fail(reader.key_source(table, "timeout_ms"),
                "'" + prefix + ".timeout_ms' only applies to a wait_paused event");
  }
  if (auto* count = table.get("count")) {
    event.count = static_cast<int>(
        reader.integer_in(*count, prefix + ".count", 1, 100'000, "between 1 and 100000"));
  }
  if (auto* method = table.get("method")) {
    event.as<RequestEvent>()->method = reader.one_of(*method, prefix + ".method", kMethods);
  }
  if (auto* headers = table.get("headers")) {
    event.as<RequestEvent>()->headers = reader.string_table(*headers, prefix + ".headers");
  }
  if (auto* body = table.get("body")) {
    event.as<RequestEvent>()->body = reader.string(*body, prefix + ".body");
  }
  if (auto* background = table.get("background")) {
    event.background = reader.boolean(*background, prefix + ".background");
  }
  if (auto* status = table.get("expect_status")) {
    event.as<RequestEvent>()->expect_status = static_cast<int>(reader.integer_in(
        *status, prefix + ".expect_status", 100, 599, "an HTTP status (100 to 599)"));
  }
  if (auto* body = table.get("expect_body")) {
    event.expect_body = reader.regex(*body, prefix + ".expect_body");
  }
  return event;
}

void read_expect(const Reader& reader, const toml::table& table, Expect& expect) {
  reader.check_keys(table, "in [expect]",
                    {"exit_code", "signal", "still_running", "hold_ms", "within_ms", "stderr",
                     "stdout", "stderr_not", "stdout_not", "fired", "leftovers"});
  if (auto* node = table.get("exit_code")) {
    expect.exit_code =
        static_cast<int>(reader.integer_in(*node, "expect.exit_code", 0, 255, "between 0 and 255"));
  }
  if (auto* node = table.get("signal")) expect.signal = reader.signal(*node, "expect.signal");
  if (auto* node = table.get("still_running")) {
    expect.still_running = reader.boolean(*node, "expect.still_running");
  }
  if (auto* node = table.get("hold_ms")) {
    expect.hold =
        Millis{reader.integer_in(*node, "expect.hold_ms", 0, 3'600'000, "between 0 and 3600000")};
  }
  if (auto* node = table.get("within_ms")) {
    expect.within_ms =
        Millis{reader.integer_in(*node, "expect.within_ms", 1, 3'600'000, "between 1 and 3600000")};
  }
  if (auto* node = table.get("stderr"))
    expect.stderr_lines = reader.regexes(*node, "expect.stderr");
  if (auto* node = table.get("stdout"))
    expect.stdout_lines = reader.regexes(*node, "expect.stdout");
  if (auto* node = table.get("stderr_not")) {
    expect.stderr_not = reader.regexes(*node, "expect.stderr_not");
  }
  if (auto* node = table.get("stdout_not")) {
    expect.stdout_not = reader.regexes(*node, "expect.stdout_not");
  }
  if (auto* node = table.get("fired")) expect.fired = reader.strings(*node, "expect.fired");
  if (auto* node = table.get("leftovers")) {
    expect.leftovers_allowed =
        reader.one_of(*node, "expect.leftovers",
                      std::array<std::string_view, 2>{"fail", "allowed"}) == "allowed";
  }

  // A run ends one way: say which, exactly once.
  if (expect.exit_code && expect.signal) {
    reader.fail(reader.key_source(table, "signal"),
                "'expect.signal' cannot be combined with 'expect.exit_code': a run ends one way");
  }
  if (expect.still_running && (expect.exit_code || expect.signal)) {
    const char* other = expect.exit_code ? "exit_code" : "signal";
    reader.fail(reader.key_source(table, "still_running"),
                std::string("'expect.still_running' cannot be combined with 'expect.") + other +
                    "': a run ends one way");
  }
  if (!expect.exit_code && !expect.signal && !expect.still_running) {
    reader.fail(table.source(),
                "[expect] needs one of 'exit_code', 'signal' or 'still_running = true'");
  }
  if (expect.still_running && expect.within_ms) {
    reader.fail(reader.key_source(table, "within_ms"),
                "'expect.within_ms' cannot be combined with 'expect.still_running': a target "
                "that stays up has no exit to time");
  }
  if (!expect.still_running && table.contains("hold_ms")) {
    reader.fail(reader.key_source(table, "hold_ms"),
                "'expect.hold_ms' only applies with 'expect.still_running = true'");
  }
}

// `fired` naming a site the scenario never arms waits for something that cannot happen. A
// negative scenario is wrong on purpose, to prove the run-time check: it is left to that. A
// custom `command` may arm its own sites, which the scenario cannot know. An `outside.` site
// must be an outside fault that an event does.
void check_fired_can_hold(const Reader& reader, const toml::table& expect,
                          const Scenario& scenario) {
  if (!scenario.expect.fired || scenario.negative) return;
  const auto armed = armed_sites(scenario);
  const toml::array& fired = *expect.get("fired")->as_array();
  for (std::size_t i = 0; i < fired.size(); ++i) {
    const std::string& site = (*scenario.expect.fired)[i];
    if (is_outside_site(site)) {
      if (auto problem = internal::outside_site_problem(site, scenario.events)) {
        reader.fail(fired[i].source(), "'expect.fired[" + std::to_string(i) + "]' names '" +
                                           shortened(site) + "', " + *problem);
      }
      continue;
    }
    if (!scenario.superlink.command.empty()) continue;
    if (std::binary_search(armed.begin(), armed.end(), site)) continue;
    std::string message = "'expect.fired[" + std::to_string(i) + "]' names '" + shortened(site) +
                          "', which the scenario does not arm: it can never fire";
    if (auto suggestion = closest(site, armed)) {
      message += "; did you mean '" + std::string(*suggestion) + "'?";
    }
    reader.fail(fired[i].source(), message);
  }
}

Scenario read_document(const Reader& reader, const toml::table& root) {
  reader.check_keys(
      root, "at top level",
      {"description", "labels", "requires", "timeout_ms", "seed", "negative", "negative_message",
       "superlink", "failpoints", "setup", "events", "expect", "versions"});
  Scenario scenario;
  if (auto* node = root.get("description")) {
    scenario.description = reader.string(*node, "description");
    if (scenario.description.empty()) reader.fail(node->source(), "'description' is empty");
  } else {
    reader.fail_at_start("missing key 'description': say in one sentence what the scenario pins");
  }
  if (auto* node = root.get("labels")) scenario.labels = reader.strings(*node, "labels");
  if (auto* node = root.get("requires")) {
    if (!node->is_array()) reader.wrong_type(*node, "requires", "an array of strings");
    std::size_t index = 0;
    for (const toml::node& item : *node->as_array()) {
      scenario.requirements.push_back(reader.one_of(
          item, "requires[" + std::to_string(index++) + "]",
          std::array<std::string_view, 2>{kRequiresFailpoints, kRequiresSyscallFaults}));
    }
  }
  if (auto* node = root.get("timeout_ms")) {
    scenario.timeout =
        Millis{reader.integer_in(*node, "timeout_ms", 1, 3'600'000, "between 1 and 3600000")};
  }
  if (auto* node = root.get("seed")) {
    scenario.seed = static_cast<std::uint64_t>(
        reader.integer_in(*node, "seed", 0, std::numeric_limits<std::int64_t>::max(), ">= 0"));
  }
  if (auto* node = root.get("negative")) scenario.negative = reader.boolean(*node, "negative");
  if (auto* node = root.get("negative_message")) {
    if (!scenario.negative) {
      reader.fail(reader.key_source(root, "negative_message"),
                  "'negative_message' only applies with 'negative = true'");
    }
    scenario.negative_message = reader.regex(*node, "negative_message");
  } else if (scenario.negative) {
    reader.fail(reader.key_source(root, "negative"),
                "'negative = true' needs 'negative_message', the regex the first failure must "
                "match");
  }
  if (auto* node = root.get("versions")) {
    if (!node->is_array()) reader.wrong_type(*node, "versions", "an array of strings");
    std::size_t index = 0;
    for (const toml::node& item : *node->as_array()) {
      scenario.versions.push_back(reader.one_of(item, "versions[" + std::to_string(index++) + "]",
                                                known_flower_versions()));
    }
    if (scenario.versions.empty()) reader.fail(node->source(), "'versions' is empty");
  }
  if (auto* node = root.get("superlink")) {
    read_superlink(reader, reader.table(*node, "superlink"), scenario.superlink);
    const std::string& pinned = scenario.superlink.flower_version;
    if (!pinned.empty() && !holds_for(scenario, pinned)) {
      reader.fail(node->as_table()->get("flower_version")->source(),
                  "'superlink.flower_version' is " + in_quotes(pinned) +
                      ", which 'versions' does not list");
    }
  }
  if (auto* node = root.get("failpoints")) {
    read_failpoints(reader, reader.table(*node, "failpoints"), scenario);
  }
  if (auto* node = root.get("setup"))
    read_setup(reader, reader.table(*node, "setup"), scenario.setup);
  if (auto* node = root.get("events")) {
    if (!node->is_array()) reader.wrong_type(*node, "events", "an array of tables ([[events]])");
    std::size_t index = 0;
    for (const toml::node& item : *node->as_array()) {
      scenario.events.push_back(read_event(reader, item, index, scenario.superlink));
      const Event& event = scenario.events.back();
      const auto* control = event.as<FailpointControl>();
      if (control && control->kind == FailpointControl::Kind::Arm) {
        const toml::node* arm = item.as_table()->get("arm");
        const toml::node* site = arm->as_table()->get("site");
        note_position(scenario, control->site, site->source());
      }
      const auto armed = armed_sites(scenario);
      if (event.at == Event::Anchor::Fired && is_outside_site(event.fired_site)) {
        const std::vector<Event> earlier(scenario.events.begin(), scenario.events.end() - 1);
        if (auto problem = internal::outside_site_problem(event.fired_site, earlier)) {
          if (problem->starts_with("which no")) problem = "which no earlier event does";
          reader.fail(item.as_table()->get("at")->source(),
                      "'events[" + std::to_string(index) + "].at' waits for '" +
                          shortened(event.fired_site) + "', " + *problem);
        }
      }
      if (event.at == Event::Anchor::Fired && !is_outside_site(event.fired_site) &&
          !std::binary_search(armed.begin(), armed.end(), event.fired_site)) {
        const toml::table& table = *item.as_table();
        reader.fail(table.get("at")->source(), "'events[" + std::to_string(index) +
                                                   "].at' waits for '" + event.fired_site +
                                                   "' to fire, but [failpoints] does not arm it");
      }
      ++index;
    }
    internal::check_controlled_sites(reader, *node->as_array(), scenario);
    internal::check_outside_order(reader, *node->as_array(), scenario.events);
  }
  if (auto* node = root.get("expect")) {
    read_expect(reader, reader.table(*node, "expect"), scenario.expect);
    check_fired_can_hold(reader, *node->as_table(), scenario);
  } else {
    reader.fail_at_start(
        "missing [expect]: say how the run must end (exit_code, signal or still_running = true)");
  }
  return scenario;
}

}  // namespace

Scenario load_scenario_text(std::string_view toml, std::string_view file_name) {
  const std::string file(file_name);
  toml::table root;
  try {
    root = toml::parse(toml, file);
  } catch (const toml::parse_error& error) {
    throw ScenarioError(file, error.source().begin.line, error.source().begin.column,
                        std::string(error.description()));
  }
  Scenario scenario = read_document(Reader(file), root);
  const std::filesystem::path path(file);
  scenario.name = path.stem().string();
  scenario.group = path.parent_path().filename().string();
  scenario.file = file;
  return scenario;
}

}  // namespace harness
