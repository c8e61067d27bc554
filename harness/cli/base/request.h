// What one invocation of superlink-harness asks for, filled from the command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace harness::cli {

enum class Command { Run, List, Check, Repro, Coverage };
enum class ColorMode { Auto, Always, Never };
enum class ListFormat { Text, Json };

struct Request {
  Command command = Command::Run;
  std::vector<std::string> paths;  // scenario files or folders
  std::string target;  // --target: the binary of the --target-kind (kind mock or flower scenarios)
  bool target_kind_flower = false;   // --target-kind flower
  std::vector<std::string> filters;  // --filter globs, comma lists already split
  int jobs = 0;                      // --jobs; 0: not given, kDefaultJobs
  int repeat = 1;                    // rounds; 0: no limit (--until-fail without --repeat)
  bool until_fail = false;
  std::optional<std::uint64_t> seed;
  std::string junit_file;
  std::string json_file;
  bool verbose = false;
  ColorMode color = ColorMode::Auto;
  ListFormat list_format = ListFormat::Text;  // list --format
  std::string flower_version;  // --flower-version: run/check/coverage for this version ("": each
                               // scenario's own)
  std::string site_cache_dir;  // where target site listings are kept (target_sites.h); "": none
};

}  // namespace harness::cli
