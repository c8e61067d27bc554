#include "scenario_set.h"

#include <fnmatch.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "scenario_filter.h"

namespace harness {
namespace {

int parse_shard_variable(const char* name, const char* value) {
  int out = 0;
  const char* end = value + std::strlen(value);
  auto [ptr, ec] = std::from_chars(value, end, out);
  if (ec != std::errc() || ptr != end || ptr == value) {
    throw ShardError(std::string(name) + "='" + value + "': not a whole number");
  }
  return out;
}

}  // namespace

std::vector<std::string> split_filters(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& value : values) {
    std::size_t start = 0;
    while (start <= value.size()) {
      std::size_t comma = value.find(',', start);
      if (comma == std::string::npos) comma = value.size();
      if (comma > start) out.push_back(value.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return out;
}

bool matches_filter(const Scenario& scenario, const std::vector<std::string>& globs) {
  if (globs.empty()) return true;
  const std::string qualified = qualified_name(scenario);
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& glob) {
    return fnmatch(glob.c_str(), qualified.c_str(), 0) == 0 ||
           fnmatch(glob.c_str(), scenario.name.c_str(), 0) == 0;
  });
}

std::optional<Shard> shard_from_env(const char* total, const char* index) {
  if (total == nullptr && index == nullptr) return std::nullopt;
  if (total == nullptr) {
    throw ShardError(std::string("GTEST_SHARD_INDEX=") + index +
                     " is set but GTEST_TOTAL_SHARDS is not");
  }
  if (index == nullptr) {
    throw ShardError(std::string("GTEST_TOTAL_SHARDS=") + total +
                     " is set but GTEST_SHARD_INDEX is not");
  }
  Shard shard{parse_shard_variable("GTEST_TOTAL_SHARDS", total),
              parse_shard_variable("GTEST_SHARD_INDEX", index)};
  if (shard.total < 1) {
    throw ShardError("GTEST_TOTAL_SHARDS=" + std::to_string(shard.total) + ": must be at least 1");
  }
  if (shard.index < 0 || shard.index >= shard.total) {
    throw ShardError("GTEST_SHARD_INDEX=" + std::to_string(shard.index) + ": must be in [0, " +
                     std::to_string(shard.total) + ")");
  }
  return shard;
}

std::vector<Scenario> select_scenarios(std::vector<Scenario> scenarios,
                                       const std::vector<std::string>& globs,
                                       const std::optional<Shard>& shard) {
  std::stable_sort(scenarios.begin(), scenarios.end(), [](const Scenario& a, const Scenario& b) {
    const std::string qa = qualified_name(a);
    const std::string qb = qualified_name(b);
    if (qa != qb) return qa < qb;
    return a.file < b.file;
  });
  std::vector<Scenario> kept;
  std::size_t position = 0;  // among the scenarios the filter keeps
  for (Scenario& scenario : scenarios) {
    if (!matches_filter(scenario, globs)) continue;
    const std::size_t i = position++;
    if (shard && static_cast<int>(i % static_cast<std::size_t>(shard->total)) != shard->index) {
      continue;
    }
    kept.push_back(std::move(scenario));
  }
  return kept;
}

}  // namespace harness
