#include "syscall_event_reader.h"

#include <array>
#include <string_view>
#include <vector>

#include "scenario/syscall_names.h"
#include "substitutions.h"

namespace harness::internal {
namespace {

// strace counts calls up to 65535 (`when=` of -e inject).
constexpr std::int64_t kMaxCall = 65535;
constexpr std::array<std::string_view, 4> kEffects = {"error", "retval", "delay_ms", "signal"};
constexpr std::array<std::string_view, 3> kRoles = {"scheduler", "rest", "any"};

std::string call_name(const Reader& reader, const toml::node& node, const std::string& name) {
  std::string call = reader.string(node, name);
  if (!syscall_family(call).empty()) return call;
  std::string message = "'" + name + "' is not a system call: " + in_quotes(call);
  if (auto suggestion = closest(call, syscall_names())) {
    message += "; did you mean '" + std::string(*suggestion) + "'?";
  }
  reader.fail(node.source(), message);
}

SyscallFault::Thread read_thread(const Reader& reader, const toml::node& node,
                                 const std::string& name, SyscallFault& fault) {
  if (node.is_table()) {
    const toml::table& table = *node.as_table();
    reader.check_keys(table, "in '" + name + "'", {"name"});
    const toml::node* pattern = table.get("name");
    if (pattern == nullptr) reader.fail(node.source(), "'" + name + "' needs 'name = \"REGEX\"'");
    fault.thread_name = reader.regex(*pattern, name + ".name");
    return SyscallFault::Thread::Named;
  }
  if (!node.is_string()) {
    reader.wrong_type(node, name,
                      "\"scheduler\", \"rest\", \"any\" or a table { name = \"REGEX\" }");
  }
  const std::string role = reader.one_of(node, name, kRoles);
  return role == "scheduler" ? SyscallFault::Thread::Scheduler
         : role == "rest"    ? SyscallFault::Thread::Rest
                             : SyscallFault::Thread::Any;
}

}  // namespace

SyscallFault read_syscall(const Reader& reader, const toml::node& node, const std::string& name) {
  const toml::table& table = reader.table(node, name);
  reader.check_keys(
      table, "in '" + name + "'",
      {"call", "error", "retval", "delay_ms", "signal", "thread", "path", "nth", "count"});
  SyscallFault fault;
  const toml::node* call = table.get("call");
  if (call == nullptr) {
    reader.fail(node.source(),
                "'" + name + "' needs 'call': a system call name or an array of them");
  }
  if (call->is_array()) {
    std::size_t index = 0;
    for (const toml::node& item : *call->as_array()) {
      fault.calls.push_back(
          call_name(reader, item, name + ".call[" + std::to_string(index++) + "]"));
    }
    if (fault.calls.empty()) reader.fail(call->source(), "'" + name + ".call' is empty");
  } else {
    fault.calls.push_back(call_name(reader, *call, name + ".call"));
  }

  std::vector<std::string_view> effects;
  for (std::string_view effect : kEffects) {
    if (table.contains(effect)) effects.push_back(effect);
  }
  if (effects.empty()) {
    reader.fail(node.source(),
                "'" + name + "' needs one of 'error', 'retval', 'delay_ms' or 'signal'");
  }
  if (effects.size() > 1) {
    reader.fail(reader.key_source(table, effects[1]),
                "'" + name + "' has both '" + std::string(effects[0]) + "' and '" +
                    std::string(effects[1]) + "': a fault has one effect");
  }
  if (const toml::node* error = table.get("error")) {
    const std::string errno_name = reader.string(*error, name + ".error");
    const auto& known = errno_names();
    if (std::find(known.begin(), known.end(), errno_name) == known.end()) {
      std::string message = "'" + name + ".error' is not an errno name: " + in_quotes(errno_name);
      if (auto suggestion = closest(errno_name, known)) {
        message += "; did you mean '" + std::string(*suggestion) + "'?";
      } else {
        message += " (write it as <errno.h> does: \"EIO\", \"EAGAIN\", \"EBADF\", ...)";
      }
      reader.fail(error->source(), message);
    }
    fault.error = errno_name;
  }
  if (const toml::node* retval = table.get("retval")) {
    fault.retval = static_cast<long>(reader.integer(*retval, name + ".retval"));
  }
  if (const toml::node* delay = table.get("delay_ms")) {
    fault.delay = Millis{
        reader.integer_in(*delay, name + ".delay_ms", 1, 3'600'000, "between 1 and 3600000")};
  }
  if (const toml::node* signal = table.get("signal")) {
    fault.signal = reader.signal(*signal, name + ".signal");
  }
  if (const toml::node* thread = table.get("thread")) {
    fault.thread = read_thread(reader, *thread, name + ".thread", fault);
  }
  if (const toml::node* path = table.get("path")) {
    fault.path = reader.string(*path, name + ".path");
    if (fault.path.empty()) reader.fail(path->source(), "'" + name + ".path' is empty");
    if (auto unknown = find_unknown_substitution(fault.path)) {
      reader.fail(path->source(),
                  "'" + name + ".path' uses an unknown substitution '{" + unknown->name + "}'");
    }
  }
  if (const toml::node* nth = table.get("nth")) {
    fault.nth = static_cast<int>(
        reader.integer_in(*nth, name + ".nth", 1, kMaxCall, "between 1 and 65535"));
  }
  if (const toml::node* count = table.get("count")) {
    if (count->is_string()) {
      reader.one_of(*count, name + ".count", std::array<std::string_view, 1>{"all"});
      fault.count.reset();
    } else {
      if (!count->is_integer()) {
        reader.wrong_type(*count, name + ".count", "a number of calls or \"all\"");
      }
      fault.count = static_cast<int>(reader.integer_in(*count, name + ".count", 1, kMaxCall - 1,
                                                       "between 1 and 65534, or \"all\""));
      if (fault.nth + *fault.count - 1 > kMaxCall - 1) {
        reader.fail(count->source(), "'" + name + ".count' reaches past the 65534th call (nth " +
                                         std::to_string(fault.nth) + " + count " +
                                         std::to_string(*fault.count) + " - 1)");
      }
    }
  }
  return fault;
}

}  // namespace harness::internal
