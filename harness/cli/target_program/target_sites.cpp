#include "target_sites.h"

#include <re2/re2.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/default_binaries.h"
#include "selection/fault_coverage.h"

namespace harness::cli {
namespace {

// Asks the target through the run engine itself, so it is spawned, watched and reaped like any
// scenario's.
// A line of the listing: "site.name  where it is".
bool is_site_line(const std::string& line) {
  static const re2::RE2 kSite(R"(^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+(\s.*)?$)");
  return re2::RE2::FullMatch(line, kSite);
}

std::optional<std::vector<std::string>> list_sites(const std::string& binary, TargetKind kind,
                                                   const std::string& flower_version,
                                                   const Backend& backend, std::ostream& err,
                                                   bool& foreign) {
  Scenario probe;
  probe.name = "list-failpoints";
  if (kind == TargetKind::Flower) {
    probe.superlink.command = {binary, "--help"};
    probe.superlink.env["SUPERLINK_LIST_FAILPOINTS"] = "1";
  } else {
    probe.superlink.command = {binary, "--list-failpoints"};
  }
  probe.superlink.ready = harness::Readiness::None;
  probe.superlink.flower_version = flower_version;
  probe.expect.exit_code = 0;
  const RunResult result = backend.run(probe, RunOptions{});
  const std::string shown = kind == TargetKind::Flower
                                ? "SUPERLINK_LIST_FAILPOINTS=1 " + binary + " --help"
                                : binary + " --list-failpoints";
  if (result.harness_error) {
    err << "superlink-harness: " << shown << ": " << *result.harness_error << "\n";
    return std::nullopt;
  }
  if (result.end.kind != Termination::Kind::Exited || result.end.code != 0) {
    err << "superlink-harness: " << shown << " did not exit 0 ("
        << backend.judge(probe, result).ending << ")\n";
    return std::nullopt;
  }
  std::vector<std::string> lines;
  for (const auto* part : {&result.log.head, &result.log.tail}) {
    for (const LogLine& line : *part) {
      if (line.stream == Stream::Stdout && !line.text.empty()) lines.push_back(line.text);
    }
  }
  if (kind == TargetKind::Flower && !std::all_of(lines.begin(), lines.end(), is_site_line)) {
    foreign = true;  // its own help: a SuperLink without the mock's failpoints
    return std::vector<std::string>{};
  }
  return parse_site_list(lines);
}

// What names one build of a binary: its real path, device, inode, size and modification time
// (nanoseconds); "" when it cannot be read (nothing is kept then).
std::string binary_identity(const std::string& binary) {
  std::error_code error;
  std::filesystem::path path = binary;
  if (binary.find('/') == std::string::npos) return "";  // searched in PATH: not pinned down
  path = std::filesystem::canonical(path, error);
  struct stat info {};
  if (error || ::stat(path.c_str(), &info) != 0) return "";
  return path.string() + ' ' + std::to_string(info.st_dev) + ':' + std::to_string(info.st_ino) +
         ' ' + std::to_string(info.st_size) + ' ' + std::to_string(info.st_mtim.tv_sec) + '.' +
         std::to_string(info.st_mtim.tv_nsec);
}

// FNV-1a, 64 bits: a file name for a key (the key itself is stored and compared in the file).
std::string file_name_for(const std::string& key) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const unsigned char c : key) hash = (hash ^ c) * 1099511628211ULL;
  char name[32];
  std::snprintf(name, sizeof name, "sites-%016llx", static_cast<unsigned long long>(hash));
  return name;
}

// The kept listing: the key's line, then "foreign" or "sites", then one site a line.
struct Kept {
  bool foreign = false;
  std::vector<std::string> sites;
};

std::optional<Kept> read_kept(const std::string& file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  if (!std::getline(in, line) || line != key || !std::getline(in, line)) return std::nullopt;
  if (line != "foreign" && line != "sites") return std::nullopt;
  Kept kept{line == "foreign", {}};
  while (std::getline(in, line)) kept.sites.push_back(line);
  return kept;
}

// Written to a temporary file and renamed, so a reader never sees half of one.
void keep(const std::string& folder, const std::string& file, const std::string& key,
          const Kept& kept) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  const std::string temporary = file + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << key << '\n' << (kept.foreign ? "foreign" : "sites") << '\n';
    for (const std::string& site : kept.sites) out << site << '\n';
    if (!out) {
      std::filesystem::remove(temporary, error);
      return;
    }
  }
  std::filesystem::rename(temporary, file, error);
  if (error) std::filesystem::remove(temporary, error);
}

}  // namespace

std::string site_cache_dir(const std::function<const char*(const char*)>& getenv) {
  if (const char* own = getenv("SUPERLINK_HARNESS_CACHE")) return own;
  if (const char* xdg = getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
    return std::string(xdg) + "/superlink-harness";
  }
  if (const char* home = getenv("HOME"); home != nullptr && *home == '/') {
    return std::string(home) + "/.cache/superlink-harness";
  }
  return "";
}

const std::optional<std::vector<std::string>>& TargetSites::of(const std::string& target,
                                                               std::ostream& err, TargetKind kind,
                                                               const std::string& flower_version) {
  const std::string binary = target.empty() ? default_mock_binary() : target;
  const std::string key = binary + '\n' + flower_version;
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    const std::string identity = cache_dir_.empty() ? "" : binary_identity(binary);
    const std::string kept_key =
        identity + (kind == TargetKind::Flower ? " flower " : " mock ") + flower_version;
    const std::string file = identity.empty() ? "" : cache_dir_ + "/" + file_name_for(kept_key);
    if (auto kept = file.empty() ? std::nullopt : read_kept(file, kept_key)) {
      it = cache_.emplace(key, std::move(kept->sites)).first;
      if (kept->foreign) foreign_.insert(binary);
    } else {
      std::ostringstream why;
      bool foreign = false;
      it = cache_.emplace(key, list_sites(binary, kind, flower_version, backend_, why, foreign))
               .first;
      if (foreign) foreign_.insert(binary);
      errors_[key] = why.str();
      if (!file.empty() && it->second) keep(cache_dir_, file, kept_key, {foreign, *it->second});
    }
  }
  err << errors_[key];
  return it->second;
}

}  // namespace harness::cli
