// The failpoint sites a target binary has, asked once per binary: the mock with
// `--list-failpoints`; a Flower-like target (which takes no mock flag) with `--help` and
// SUPERLINK_LIST_FAILPOINTS=1, which the persona answers with its sites and a real SuperLink with
// its help. An empty list means the target has none: a build with SUPERLINK_FAILPOINTS=OFF, or a
// SuperLink that is not the mock (foreign()).
// A listing is also kept on disk, under the binary's identity (its real path, device, inode, size
// and modification time) with the kind and version, so the next harness process does not start
// the target a second time to ask again: a rebuilt or replaced binary is asked afresh.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "cli/base/backend.h"

namespace harness::cli {

// The folder for the listings kept across processes: $SUPERLINK_HARNESS_CACHE (empty: none), else
// $XDG_CACHE_HOME/superlink-harness, else $HOME/.cache/superlink-harness; "" when none applies.
std::string site_cache_dir(const std::function<const char*(const char*)>& getenv);

class TargetSites {
 public:
  // `cache_dir`: where listings are kept across processes ("": nowhere; site_cache_dir()).
  explicit TargetSites(const Backend& backend, std::string cache_dir = "")
      : backend_(backend), cache_dir_(std::move(cache_dir)) {}

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
  const std::string cache_dir_;
  std::map<std::string, std::optional<std::vector<std::string>>> cache_;
  std::map<std::string, std::string> errors_;
  std::set<std::string> foreign_;
};

}  // namespace harness::cli
