// Choosing which scenarios of a catalogue run: --filter globs, a stable order, and GoogleTest's
// sharding variables so CI systems that shard gtest binaries shard the catalogue too.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "harness/scenario.h"
#include "scenario/event_text.h"  // qualified_name

namespace harness {

// Splits --filter values on commas and drops empty pieces: {"a/*,b", "c"} -> {"a/*", "b", "c"}.
std::vector<std::string> split_filters(const std::vector<std::string>& values);

// Thrown for unusable sharding variables; what() names the variable and its value.
class ShardError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct Shard {
  int total = 1;
  int index = 0;
};

// From the values of GTEST_TOTAL_SHARDS and GTEST_SHARD_INDEX (nullptr: unset). Both unset: no
// sharding. Throws ShardError when only one is set, one is not a whole number, total < 1, or
// index is outside [0, total).
std::optional<Shard> shard_from_env(const char* total, const char* index);

// Sorts by qualified name (then file), keeps those matching `globs`, and of those keeps scenario i
// when i % shard.total == shard.index. Every scenario lands on exactly one shard.
std::vector<Scenario> select_scenarios(std::vector<Scenario> scenarios,
                                       const std::vector<std::string>& globs,
                                       const std::optional<Shard>& shard);

}  // namespace harness
