#include "harness/scenario_loader.h"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "failpoint/failpoint.h"
#include "harness/line_match.h"
#include "harness/signal_name.h"

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

using Keys = std::initializer_list<std::string_view>;

constexpr std::array<std::string_view, 7> kRoutes = {
    "create-node", "delete-node", "pull-messages", "push-messages", "ping", "get-run", "get-fab"};
constexpr std::array<std::string_view, 7> kMethods = {"GET",   "POST", "PUT",    "DELETE",
                                                      "PATCH", "HEAD", "OPTIONS"};
constexpr std::array<std::string_view, 3> kPorts = {"fleet", "serverappio", "exec"};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({diagonal + (a[i - 1] == b[j - 1] ? 0 : 1), above + 1, row[j - 1] + 1});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::size_t common_prefix(std::string_view a, std::string_view b) {
  const auto [end, unused] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  return static_cast<std::size_t>(end - a.begin());
}

// The closest of `known` to `word`, when it is close enough to be a typo of it: a few edits
// away, or sharing a long start ("timeout" for "timeout_ms").
template <typename Range>
std::optional<std::string_view> closest(std::string_view word, const Range& known) {
  constexpr std::size_t kLongPrefix = 5;
  std::optional<std::string_view> best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (std::string_view candidate : known) {
    const std::size_t distance = edit_distance(word, candidate);
    const bool typo = distance <= std::max<std::size_t>(2, word.size() / 3) ||
                      common_prefix(word, candidate) >= kLongPrefix;
    if (typo && distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

template <typename Range>
std::string join(const Range& words) {
  std::string text;
  for (std::string_view word : words) {
    if (!text.empty()) text += ", ";
    text += word;
  }
  return text;
}

std::string a_type(toml::node_type type) {
  switch (type) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

// Text from the file as an error message shows it: at most kShownBytes, then how long it was.
constexpr std::size_t kShownBytes = 80;
std::string shortened(std::string_view text) {
  if (text.size() <= kShownBytes) return std::string(text);
  return std::string(text.substr(0, kShownBytes)) + "... (" + std::to_string(text.size()) +
         " bytes)";
}

std::string in_quotes(std::string_view raw) {
  const std::string text = shortened(raw);
  // Built by appending: g++ 12 warns (-Wrestrict, a false positive) on "\"" + std::string&&.
  std::string quoted;
  quoted.reserve(text.size() + 2);
  quoted.append(1, '"').append(text).append(1, '"');
  return quoted;
}

// Reads one document; every error carries the file name and the position of the node at fault.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const toml::source_region& where, const std::string& message) const {
    throw ScenarioError(file_, where.begin.line, where.begin.column, message);
  }
  [[noreturn]] void fail_at_start(const std::string& message) const {
    throw ScenarioError(file_, 1, 1, message);
  }

  // Rejects keys of `table` not in `known`; `section` is how the message names the table.
  void check_keys(const toml::table& table, std::string_view section, Keys known) const {
    for (const auto& [key, node] : table) {
      if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
      std::string message = "unknown key '" + shortened(key.str()) + "' " + std::string(section);
      if (auto suggestion = closest(key.str(), known)) {
        message += "; did you mean '" + std::string(*suggestion) + "'?";
      } else {
        message += " (known: " + join(known) + ")";
      }
      fail(key.source(), message);
    }
  }

  const toml::node* find(const toml::table& table, std::string_view key) const {
    return table.get(key);
  }
  // The source of key `key` in `table` (where the key is written), for combination errors.
  toml::source_region key_source(const toml::table& table, std::string_view key) const {
    auto it = table.find(key);
    return it == table.end() ? table.source() : it->first.source();
  }

  [[noreturn]] void wrong_type(const toml::node& node, const std::string& name,
                               std::string_view wanted) const {
    fail(node.source(),
         "'" + name + "' must be " + std::string(wanted) + ", not " + a_type(node.type()));
  }

  std::string string(const toml::node& node, const std::string& name) const {
    if (!node.is_string()) wrong_type(node, name, "a string");
    return **node.as_string();
  }
  std::int64_t integer(const toml::node& node, const std::string& name) const {
    if (!node.is_integer()) wrong_type(node, name, "an integer");
    return **node.as_integer();
  }
  bool boolean(const toml::node& node, const std::string& name) const {
    if (!node.is_boolean()) wrong_type(node, name, "a boolean");
    return **node.as_boolean();
  }
  std::int64_t integer_in(const toml::node& node, const std::string& name, std::int64_t low,
                          std::int64_t high, std::string_view rule) const {
    const std::int64_t value = integer(node, name);
    if (value < low || value > high) {
      fail(node.source(),
           "'" + name + "' must be " + std::string(rule) + ", not " + std::to_string(value));
    }
    return value;
  }
  const toml::table& table(const toml::node& node, const std::string& name) const {
    if (!node.is_table()) wrong_type(node, name, "a table");
    return *node.as_table();
  }
  std::vector<std::string> strings(const toml::node& node, const std::string& name) const {
    if (!node.is_array()) wrong_type(node, name, "an array of strings");
    std::vector<std::string> values;
    std::size_t index = 0;
    for (const toml::node& item : *node.as_array()) {
      values.push_back(string(item, name + "[" + std::to_string(index++) + "]"));
    }
    return values;
  }
  std::vector<std::string> regexes(const toml::node& node, const std::string& name) const {
    if (!node.is_array()) wrong_type(node, name, "an array of strings");
    std::vector<std::string> values;
    std::size_t index = 0;
    for (const toml::node& item : *node.as_array()) {
      values.push_back(regex(item, name + "[" + std::to_string(index++) + "]"));
    }
    return values;
  }
  std::map<std::string, std::string> string_table(const toml::node& node,
                                                  const std::string& name) const {
    if (!node.is_table()) wrong_type(node, name, "a table of strings");
    std::map<std::string, std::string> values;
    for (const auto& [key, value] : *node.as_table()) {
      values[std::string(key.str())] = string(value, name + "." + std::string(key.str()));
    }
    return values;
  }
  // An RE2 pattern; a refused one is reported at the refused construct when the string is
  // written without escapes (its bytes then sit one to one in the file), else at the string.
  std::string regex(const toml::node& node, const std::string& name) const {
    std::string pattern = string(node, name);
    if (const auto problem = pattern_problem(pattern)) {
      toml::source_region where = node.source();
      const bool verbatim = where.begin.line == where.end.line &&
                            where.end.column - where.begin.column == pattern.size() + 2;
      if (verbatim) {
        where.begin.column += static_cast<toml::source_index>(problem->offset + 1);
      }
      fail(where, "'" + name + "' is not a valid RE2 pattern /" + shortened(pattern) +
                      "/: " + problem->message);
    }
    return pattern;
  }
  template <typename Range>
  std::string one_of(const toml::node& node, const std::string& name, const Range& allowed) const {
    std::string value = string(node, name);
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      std::string choices;
      for (std::size_t i = 0; i < allowed.size(); ++i) {
        choices += (i == 0 ? "" : i + 1 == allowed.size() ? " or " : ", ") + in_quotes(allowed[i]);
      }
      fail(node.source(), "'" + name + "' must be " + choices + ", not " + in_quotes(value));
    }
    return value;
  }
  int signal(const toml::node& node, const std::string& name) const {
    std::string text;
    if (node.is_integer()) {
      text = std::to_string(**node.as_integer());
    } else if (node.is_string()) {
      text = **node.as_string();
    } else {
      wrong_type(node, name, "a signal name or number");
    }
    auto number = parse_signal(text);
    if (!number) {
      fail(node.source(), "'" + name + "' is not a signal: " + in_quotes(text) +
                              " (write \"SIGTERM\", \"TERM\" or a number from 1 to " +
                              std::to_string(SIGRTMAX) + ")");
    }
    return *number;
  }

 private:
  std::string file_;
};

void read_superlink(const Reader& reader, const toml::table& table, TargetSpec& target) {
  reader.check_keys(
      table, "in [superlink]",
      {"command", "isolation", "fleet_api_type", "exit_status", "args", "env", "ready_file"});
  if (auto* node = table.get("command")) {
    target.command = reader.strings(*node, "superlink.command");
    if (target.command.empty()) reader.fail(node->source(), "'superlink.command' is empty");
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
    target.exit_status = reader.one_of(*node, "superlink.exit_status",
                                       std::array<std::string_view, 2>{"documented", "flower"});
  }
  if (auto* node = table.get("args")) target.args = reader.strings(*node, "superlink.args");
  if (auto* node = table.get("env")) target.env = reader.string_table(*node, "superlink.env");
  if (auto* node = table.get("ready_file")) {
    target.ready_file = reader.boolean(*node, "superlink.ready_file");
  }
}

void read_failpoints(const Reader& reader, const toml::table& table,
                     std::map<std::string, std::string>& failpoints) {
  for (const auto& [key, node] : table) {
    const std::string site(key.str());
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
      std::string port = reader.one_of(item, name, kPorts);
      if (std::find(setup.occupy.begin(), setup.occupy.end(), port) != setup.occupy.end()) {
        reader.fail(item.source(), "'" + name + "' repeats " + in_quotes(port));
      }
      setup.occupy.push_back(std::move(port));
    }
  }
}

// "spawn", "start", "ready" or "fired:SITE", optionally followed by +<N>ms or +<N>s.
bool parse_at(std::string_view text, Event& event) {
  const auto plus = text.find('+');
  const std::string_view anchor = text.substr(0, plus);
  constexpr std::string_view kFired = "fired:";
  if (anchor == "spawn") {
    event.at = Event::Anchor::Spawn;
  } else if (anchor == "start") {
    event.at = Event::Anchor::Start;
  } else if (anchor == "ready") {
    event.at = Event::Anchor::Ready;
  } else if (anchor.size() > kFired.size() && anchor.substr(0, kFired.size()) == kFired) {
    event.at = Event::Anchor::Fired;
    event.fired_site = std::string(anchor.substr(kFired.size()));
  } else {
    return false;
  }
  event.delay = Millis{0};
  if (plus == std::string_view::npos) return true;
  std::string_view delay = text.substr(plus + 1);
  std::int64_t scale = 0;
  if (delay.size() > 2 && delay.substr(delay.size() - 2) == "ms") {
    scale = 1;
    delay.remove_suffix(2);
  } else if (delay.size() > 1 && delay.back() == 's') {
    scale = 1000;
    delay.remove_suffix(1);
  } else {
    return false;
  }
  std::int64_t amount = 0;
  const auto* end = delay.data() + delay.size();
  auto [ptr, ec] = std::from_chars(delay.data(), end, amount);
  if (ec != std::errc{} || ptr != end || amount > 86'400'000 / scale) return false;
  event.delay = Millis{amount * scale};
  return true;
}

Event read_event(const Reader& reader, const toml::node& node, std::size_t index,
                 const TargetSpec& target) {
  const std::string prefix = "events[" + std::to_string(index) + "]";
  if (!node.is_table()) reader.wrong_type(node, prefix, "a table ([[events]])");
  const toml::table& table = *node.as_table();
  reader.check_keys(table, "in [[events]]",
                    {"at", "request", "signal", "count", "method", "headers", "body",
                     "expect_status", "expect_body"});
  Event event;
  if (auto* at = table.get("at")) {
    if (!parse_at(reader.string(*at, prefix + ".at"), event)) {
      reader.fail(at->source(),
                  "'" + prefix +
                      ".at' must be \"spawn\", \"start\", \"ready\" or \"fired:SITE\", "
                      "optionally followed by +<N>ms or +<N>s (as in "
                      "\"ready+250ms\"), not " +
                      in_quotes(**at->as_string()));
    }
  }
  if (event.at == Event::Anchor::Ready && !target.ready_file) {
    reader.fail(table.contains("at") ? table.get("at")->source() : table.source(),
                "'" + prefix +
                    "' waits for \"ready\" but 'superlink.ready_file' is false: the target never "
                    "reports ready (use at = \"start\" or \"start+<N>ms\")");
  }
  auto* request = table.get("request");
  auto* signal = table.get("signal");
  if (request && signal) {
    reader.fail(reader.key_source(table, "signal"),
                "'" + prefix + "' has both 'request' and 'signal': an event does one thing");
  }
  if (!request && !signal) {
    reader.fail(table.source(), "'" + prefix + "' needs 'request' or 'signal'");
  }
  if (request) {
    std::string route = reader.string(*request, prefix + ".request");
    const bool raw = route.rfind("raw/", 0) == 0 && route.size() > 4;
    if (!raw && std::find(kRoutes.begin(), kRoutes.end(), route) == kRoutes.end()) {
      std::string message = "'" + prefix + ".request' is not a route: " + in_quotes(route);
      if (auto suggestion = closest(route, kRoutes)) {
        message += "; did you mean '" + std::string(*suggestion) + "'?";
      } else {
        message += " (known: " + join(kRoutes) + ", or raw/<path>)";
      }
      reader.fail(request->source(), message);
    }
    event.request = std::move(route);
  } else {
    event.signal = reader.signal(*signal, prefix + ".signal");
    for (std::string_view key : {"method", "headers", "body", "expect_status", "expect_body"}) {
      if (table.contains(key)) {
        reader.fail(reader.key_source(table, key),
                    "'" + prefix + "." + std::string(key) + "' only applies to a request event");
      }
    }
  }
  if (auto* count = table.get("count")) {
    event.count = static_cast<int>(
        reader.integer_in(*count, prefix + ".count", 1, 100'000, "between 1 and 100000"));
  }
  if (auto* method = table.get("method")) {
    event.method = reader.one_of(*method, prefix + ".method", kMethods);
  }
  if (auto* headers = table.get("headers")) {
    event.headers = reader.string_table(*headers, prefix + ".headers");
  }
  if (auto* body = table.get("body")) event.body = reader.string(*body, prefix + ".body");
  if (auto* status = table.get("expect_status")) {
    event.expect_status = static_cast<int>(reader.integer_in(
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

Scenario read_document(const Reader& reader, const toml::table& root) {
  reader.check_keys(root, "at top level",
                    {"description", "labels", "timeout_ms", "seed", "negative", "negative_message",
                     "superlink", "failpoints", "setup", "events", "expect"});
  Scenario scenario;
  if (auto* node = root.get("description")) {
    scenario.description = reader.string(*node, "description");
    if (scenario.description.empty()) reader.fail(node->source(), "'description' is empty");
  } else {
    reader.fail_at_start("missing key 'description': say in one sentence what the scenario pins");
  }
  if (auto* node = root.get("labels")) scenario.labels = reader.strings(*node, "labels");
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
  if (auto* node = root.get("superlink")) {
    read_superlink(reader, reader.table(*node, "superlink"), scenario.superlink);
  }
  if (auto* node = root.get("failpoints")) {
    read_failpoints(reader, reader.table(*node, "failpoints"), scenario.failpoints);
  }
  if (auto* node = root.get("setup"))
    read_setup(reader, reader.table(*node, "setup"), scenario.setup);
  if (auto* node = root.get("events")) {
    if (!node->is_array()) reader.wrong_type(*node, "events", "an array of tables ([[events]])");
    std::size_t index = 0;
    for (const toml::node& item : *node->as_array()) {
      scenario.events.push_back(read_event(reader, item, index, scenario.superlink));
      const Event& event = scenario.events.back();
      if (event.at == Event::Anchor::Fired && !scenario.failpoints.contains(event.fired_site)) {
        const toml::table& table = *item.as_table();
        reader.fail(table.get("at")->source(), "'events[" + std::to_string(index) +
                                                   "].at' waits for '" + event.fired_site +
                                                   "' to fire, but [failpoints] does not arm it");
      }
      ++index;
    }
  }
  if (auto* node = root.get("expect")) {
    read_expect(reader, reader.table(*node, "expect"), scenario.expect);
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

namespace {

const char* kind_of(const std::filesystem::file_status& status) {
  namespace fs = std::filesystem;
  switch (status.type()) {
    case fs::file_type::directory:
      return "a folder";
    case fs::file_type::fifo:
      return "a FIFO";
    case fs::file_type::character:
      return "a character device";
    case fs::file_type::block:
      return "a block device";
    case fs::file_type::socket:
      return "a socket";
    default:
      return "not a regular file";
  }
}

}  // namespace

Scenario load_scenario(const std::filesystem::path& file) {
  namespace fs = std::filesystem;
  const std::string name = file.string();
  std::error_code error;
  const fs::file_status status = fs::status(file, error);
  if (error) throw ScenarioError(name, 0, 0, "cannot read: " + error.message());
  // Opening a FIFO would block and a device may never end: only regular files are read.
  if (!fs::is_regular_file(status)) {
    throw ScenarioError(
        name, 0, 0,
        std::string("cannot read: ") + kind_of(status) + ", not a regular scenario file");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ScenarioError(name, 0, 0, "cannot read: " + std::string(strerror(errno)));
  // Read at most one byte over the limit: a file that grows while read is still caught.
  std::string text(kMaxScenarioBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxScenarioBytes) {
    throw ScenarioError(name, 0, 0,
                        "larger than " + std::to_string(kMaxScenarioBytes / 1024) +
                            " KiB, the most a scenario file may hold");
  }
  return load_scenario_text(text, name);
}

std::vector<std::filesystem::path> find_scenarios(const std::vector<std::filesystem::path>& paths) {
  namespace fs = std::filesystem;
  std::set<fs::path> found;
  for (const fs::path& path : paths) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (!fs::exists(status)) throw ScenarioError(path.string(), 0, 0, "no such file or folder");
    if (!fs::is_directory(status)) {
      found.insert(path);
      continue;
    }
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(path)) {
      // Anything else named *.toml (a FIFO, a device) is kept so that loading it says why not.
      if (!entry.is_directory() && entry.path().extension() == ".toml") {
        found.insert(entry.path());
      }
    }
  }
  return {found.begin(), found.end()};
}

}  // namespace harness
