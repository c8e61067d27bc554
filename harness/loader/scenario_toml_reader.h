// Reading typed values out of a parsed TOML document: every error carries the file and the
// position of the node at fault, and quotes what the file says in bounded length.
#pragma once

#include <toml++/toml.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/line_match.h"
#include "harness/scenario_loader.h"
#include "harness/signal_name.h"
#include "scenario_suggestions.h"

namespace harness::internal {

using Keys = std::initializer_list<std::string_view>;

// "a string", "an integer", ...: a TOML type as a message names it.
std::string a_type(toml::node_type type);

// Text from the file as an error message shows it: at most kShownBytes, then how long it was.
inline constexpr std::size_t kShownBytes = 80;
std::string shortened(std::string_view text);

// shortened(text) in double quotes.
std::string in_quotes(std::string_view text);

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
    check_keys(table, section, std::span<const std::string_view>(known.begin(), known.size()));
  }
  void check_keys(const toml::table& table, std::string_view section,
                  std::span<const std::string_view> known) const {
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
  // A pattern taken from inside a string (the REGEX of at = "line:REGEX"), reported at the string.
  void check_regex(const toml::source_region& where, const std::string& pattern,
                   const std::string& name) const {
    if (const auto problem = pattern_problem(pattern)) {
      fail(where, "'" + name + "' is not a valid RE2 pattern /" + shortened(pattern) +
                      "/: " + problem->message);
    }
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

}  // namespace harness::internal
