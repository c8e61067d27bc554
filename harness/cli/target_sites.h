// The failpoint sites a target binary has, asked once per binary: the mock with
// `--list-failpoints`; a Flower-like target (which takes no mock flag) with `--help` and
// SUPERLINK_LIST_FAILPOINTS=1, which the persona answers with its sites and a real SuperLink with
// its help. An empty list means the target has none: a build with SUPERLINK_FAILPOINTS=OFF, or a
// SuperLink that is not the mock (foreign()).
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "backend.h"

namespace harness::cli {

class TargetSites {
 public:
  explicit TargetSites(const Backend& backend) : backend_(backend) {}

  // The sites of `target` ("" for the bundled mock) imitating `flower_version` (given as
  // SUPERLINK_FLOWER_VERSION; "" for its default), or nullopt after saying why on `err` when
  // the target cannot list them. Asked once per target, kind and version; later calls answer
  // from the first.
  const std::optional<std::vector<std::string>>& of(const std::string& target, std::ostream& err,
                                                    TargetKind kind = TargetKind::Mock,
                                                    const std::string& flower_version = "");
  // Whether `binary` (asked as kind flower) answered with something other than a site list.
  bool foreign(const std::string& binary) const { return foreign_.contains(binary); }

 private:
  const Backend& backend_;
  std::map<std::string, std::optional<std::vector<std::string>>> cache_;
  std::map<std::string, std::string> errors_;
  std::set<std::string> foreign_;
};

}  // namespace harness::cli
