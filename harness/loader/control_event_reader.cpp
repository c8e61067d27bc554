#include "control_event_reader.h"

#include <algorithm>

#include "failpoint/failpoint.h"
#include "scenario/scenario_requirements.h"

namespace harness::internal {

namespace {

using Kind = FailpointControl::Kind;

// The kind each of kControlActionKeys makes, in its order.
constexpr std::array<Kind, 4> kControlKinds = {Kind::Arm, Kind::Disarm, Kind::WaitPaused,
                                               Kind::Resume};
static_assert(kControlKinds.size() == kControlActionKeys.size());

std::string_view control_key(Kind kind) {
  const auto at = std::find(kControlKinds.begin(), kControlKinds.end(), kind);
  return kControlActionKeys[static_cast<std::size_t>(at - kControlKinds.begin())];
}

// A site name goes into the control endpoint's path (/failpoints/SITE): only characters that
// need no escaping there, as every declared site has.
bool is_site_name(std::string_view site) {
  return !site.empty() && std::all_of(site.begin(), site.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::string read_site(const Reader& reader, const toml::node& node, const std::string& name) {
  std::string site = reader.string(node, name);
  if (!is_site_name(site)) {
    reader.fail(node.source(), "'" + name + "' is not a failpoint site: " + in_quotes(site) +
                                   " (a site name is letters, digits, '.', '_' and '-')");
  }
  if (is_outside_site(site)) {
    reader.fail(node.source(), "'" + name + "' names '" + site +
                                   "', a fault the harness injects from outside: it has no "
                                   "failpoint to control");
  }
  return site;
}

const char* why_it_must_be_armed(Kind kind) {
  switch (kind) {
    case Kind::Disarm:
      return "there is nothing to disarm";
    case Kind::WaitPaused:
      return "nothing can pause there";
    case Kind::Resume:
      return "nothing can be paused there";
    case Kind::Arm:
      break;
  }
  return "";
}

}  // namespace

FailpointControl read_control(const Reader& reader, const toml::table& table,
                              const std::string& prefix, const TargetSpec& target) {
  FailpointControl control;
  std::string key;
  for (std::size_t i = 0; i < kControlKinds.size(); ++i) {
    if (!table.contains(kControlActionKeys[i])) continue;
    key = std::string(kControlActionKeys[i]);
    control.kind = kControlKinds[i];
  }
  const toml::node& node = *table.get(key);
  const std::string name = prefix + "." + key;
  if (control.kind == Kind::Arm) {
    const toml::table& arm = reader.table(node, name);
    reader.check_keys(arm, "in '" + name + "'", {"site", "actions"});
    for (std::string_view part : {"site", "actions"}) {
      if (!arm.contains(part)) {
        reader.fail(arm.source(), "'" + name + "' needs '" + std::string(part) +
                                      "', as in arm = { site = \"scheduler.tick\", actions = "
                                      "\"pause\" }");
      }
    }
    control.site = read_site(reader, *arm.get("site"), name + ".site");
    const toml::node& actions = *arm.get("actions");
    control.actions = reader.string(actions, name + ".actions");
    try {
      failpoint::check_actions(control.site, control.actions);
    } catch (const failpoint::SpecError& error) {
      reader.fail(actions.source(), error.what());
    }
  } else {
    control.site = read_site(reader, node, name);
  }
  if (auto* timeout = table.get("timeout_ms")) {
    if (control.kind != Kind::WaitPaused) {
      reader.fail(reader.key_source(table, "timeout_ms"),
                  "'" + prefix + ".timeout_ms' only applies to a wait_paused event");
    }
    control.timeout = Millis{
        reader.integer_in(*timeout, prefix + ".timeout_ms", 0, 600'000, "between 0 and 600000")};
  }
  if (table.contains("count")) {
    reader.fail(reader.key_source(table, "count"),
                "'" + prefix + ".count' only applies to a request or signal event");
  }
  if (effective_readiness(target) == Readiness::None) {
    reader.fail(reader.key_source(table, key),
                "'" + name +
                    "' needs a target that gets ready (its control endpoint serves by then), but "
                    "'superlink.ready' is \"none\"");
  }
  return control;
}

void check_controlled_sites(const Reader& reader, const toml::array& events,
                            const Scenario& scenario) {
  if (scenario.negative || !scenario.superlink.command.empty()) return;
  const auto armed = armed_sites(scenario);
  for (std::size_t i = 0; i < scenario.events.size() && i < events.size(); ++i) {
    const auto* control = scenario.events[i].as<FailpointControl>();
    if (!control || control->kind == Kind::Arm) continue;
    if (std::binary_search(armed.begin(), armed.end(), control->site)) continue;
    const std::string_view key = control_key(control->kind);
    const toml::table& table = *events[i].as_table();
    std::string message =
        "'events[" + std::to_string(i) + "]." + std::string(key) + "' names '" + control->site +
        "', which the scenario does not arm: " + why_it_must_be_armed(control->kind);
    if (auto suggestion = closest(control->site, armed)) {
      message += "; did you mean '" + std::string(*suggestion) + "'?";
    }
    reader.fail(table.get(key)->source(), message);
  }
}

}  // namespace harness::internal
