// `run`: the selected scenarios (filter, shard), repeated as asked, then the summary and the
// machine-readable reports.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <semaphore>
#include <set>
#include <sstream>

#include "cli/commands/catalogue.h"
#include "cli/commands/commands.h"
#include "cli/pool/scenario_pool.h"
#include "cli/pool/summary.h"
#include "cli/target_program/site_check.h"
#include "cli/target_program/target_choice.h"
#include "cli/target_program/target_sites.h"
#include "faults/syscall_injection.h"
#include "report/report_json.h"
#include "report/report_junit.h"
#include "report/report_text.h"
#include "scenario/scenario_requirements.h"
#include "scenario/scenario_versions.h"
#include "selection/scenario_set.h"
#include "unique_fd.h"
#include "verdict/outcome_class.h"

namespace harness::cli {
namespace {

bool write_file(const std::string& path, const std::string& content, std::ostream& err) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << content;
  file.close();
  if (!file) {
    err << "superlink-harness: cannot write '" << path << "'\n";
    return false;
  }
  return true;
}

// GoogleTest creates this file to tell the runner that sharding is understood.
bool touch_shard_status_file(const Environment& env, std::ostream& err) {
  const char* path = env.getenv("GTEST_SHARD_STATUS_FILE");
  if (path == nullptr || *path == '\0') return true;
  std::ofstream file(path, std::ios::app);
  if (!file) {
    err << "superlink-harness: GTEST_SHARD_STATUS_FILE: cannot create '" << path << "'\n";
    return false;
  }
  return true;
}

// Why a scenario cannot run on the chosen target, by file: one written for the mock's own flags
// under --target-kind flower; one that waits for a ready file or needs failpoints on a target
// that has none (an off build, or a SuperLink that is not the mock). A target that cannot list
// its sites runs everything.
// A site that no version of the target has (a typo) is added to `errors` instead: the run must
// not start.
std::map<std::string, std::string> skipped_scenarios(const std::vector<Scenario>& selected,
                                                     const Request& request, const Backend& backend,
                                                     std::vector<std::string>& errors) {
  std::map<std::string, std::string> skipped;
  TargetSites sites(backend, request.site_cache_dir);
  for (const Scenario& scenario : selected) {
    if (auto reason = version_skip_reason(scenario, request.flower_version)) {
      skipped[scenario.file] = *reason;
      continue;
    }
    if (auto missing = missing_capability(scenario)) {
      skipped[scenario.file] = *missing;
      continue;
    }
    const TargetKind kind = kind_of(scenario.superlink);
    if (kind == TargetKind::Mock && request.target_kind_flower) {
      skipped[scenario.file] =
          "written for the mock's own flags (kind = \"mock\"); --target-kind flower runs the "
          "kind = \"flower\" scenarios and commands";
      continue;
    }
    if (kind == TargetKind::Command) continue;
    const std::string binary = target_binary(request, kind);
    const std::string version = request.flower_version.empty() ? effective_flower_version(scenario)
                                                               : request.flower_version;
    std::ostringstream ignored;
    const bool ready_file = effective_readiness(scenario.superlink) == Readiness::File;
    if (kind == TargetKind::Flower && ready_file) {
      sites.of(binary, ignored, kind, version);
      if (sites.foreign(binary)) {
        skipped[scenario.file] =
            "waits for the ready file (ready = \"file\"), which only the "
            "mock writes; the target (" +
            binary + ") is not the mock";
        continue;
      }
    }
    if (!needs_failpoints(scenario)) continue;
    const auto& listed = sites.of(binary, ignored, kind, version);
    if (!listed) continue;
    if (!listed->empty()) {
      SiteFindings findings = run_site_findings(scenario, request, sites, ignored);
      errors.insert(errors.end(), findings.errors.begin(), findings.errors.end());
      if (findings.skip) skipped[scenario.file] = *findings.skip;
      continue;
    }
    skipped[scenario.file] =
        sites.foreign(binary)
            ? "requires failpoints; the target (" + binary +
                  ") has none: it is not the mock (it ignores SUPERLINK_LIST_FAILPOINTS)"
            : "requires failpoints; the target lists none (built with SUPERLINK_FAILPOINTS=OFF)";
  }
  return skipped;
}

// The binaries the selected scenarios run must exist: one line, before anything starts, instead
// of a report per scenario.
bool targets_runnable(const std::vector<Scenario>& selected,
                      const std::map<std::string, std::string>& skipped, const Request& request,
                      const Backend& backend, std::ostream& err) {
  if (!backend.runnable) return true;
  std::set<TargetKind> kinds;
  for (const Scenario& scenario : selected) {
    const TargetKind kind = kind_of(scenario.superlink);
    if (kind != TargetKind::Command && !skipped.contains(scenario.file)) kinds.insert(kind);
  }
  for (const TargetKind kind : kinds) {
    const std::string binary = target_binary(request, kind);
    if (backend.runnable(binary)) continue;
    const bool given =
        !request.target.empty() && request.target_kind_flower == (kind == TargetKind::Flower);
    err << "superlink-harness: " << (given ? "--target" : "the bundled target") << " '" << binary
        << "' " << (::access(binary.c_str(), F_OK) == 0 ? "is not executable" : "does not exist")
        << (kind == TargetKind::Flower ? " (kind flower scenarios)" : " (kind mock scenarios)")
        << "\n";
    return false;
  }
  return true;
}

// A report file must be writable before anything runs, not found unwritable after every run.
bool report_file_writable(const std::string& option, const std::string& path, std::ostream& err) {
  if (path.empty()) return true;
  const bool existed = ::access(path.c_str(), F_OK) == 0;
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666));
  if (!fd) {
    err << "superlink-harness: " << option << ": cannot write '" << path
        << "': " << std::strerror(errno) << "\n";
    return false;
  }
  fd.reset();
  if (!existed) ::unlink(path.c_str());
  return true;
}

// What a rerun of one scenario must repeat of this one's options (the seed comes from each run).
std::string rerun_flags(const Request& request) {
  std::string flags;
  if (!request.target.empty()) flags += " --target " + shell_word(request.target);
  if (request.target_kind_flower) flags += " --target-kind flower";
  if (!request.flower_version.empty()) flags += " --flower-version " + request.flower_version;
  return flags;
}

bool failed(const ScenarioOutcome& o) {
  const OutcomeClass outcome_class = classify(o);
  return outcome_class == OutcomeClass::Fail || outcome_class == OutcomeClass::Error;
}

}  // namespace

int run_command(const Request& request, const Backend& backend, const Environment& env,
                Streams streams) {
  if (backend.prepare) backend.prepare();  // overlaps reading and checking the catalogue
  std::optional<Shard> shard;
  try {
    shard = shard_from_env(env.getenv("GTEST_TOTAL_SHARDS"), env.getenv("GTEST_SHARD_INDEX"));
  } catch (const ShardError& e) {
    streams.err << "superlink-harness: " << e.what() << "\n";
    return kExitError;
  }
  auto scenarios = load_catalogue(request.paths, backend, streams.err);
  if (!scenarios) return kExitError;
  auto matching = filtered(std::move(*scenarios), request.filters, request.paths, streams.err);
  if (!matching) return kExitError;
  if (!touch_shard_status_file(env, streams.err)) return kExitError;
  // A shard may hold nothing when there are more shards than scenarios: that is not an error.
  std::vector<Scenario> selected = select_scenarios(std::move(*matching), {}, shard);
  if (!report_file_writable("--junit", request.junit_file, streams.err) ||
      !report_file_writable("--json", request.json_file, streams.err)) {
    return kExitError;
  }
  std::map<std::string, std::string> version_skipped;
  for (const Scenario& scenario : selected) {
    if (auto reason = version_skip_reason(scenario, request.flower_version)) {
      version_skipped[scenario.file] = *reason;
    }
  }
  if (!targets_runnable(selected, version_skipped, request, backend, streams.err)) {
    return kExitError;
  }
  std::vector<std::string> site_errors;
  const auto skipped = skipped_scenarios(selected, request, backend, site_errors);
  if (!site_errors.empty()) {
    for (const std::string& error : site_errors) streams.err << error << "\n";
    return kExitError;
  }
  // A run for a version runs every scenario that holds for it as that version.
  if (!request.flower_version.empty()) {
    for (Scenario& scenario : selected) scenario.superlink.flower_version = request.flower_version;
  }

  // Start-ups take the CPU; a run that waits (for a deadline, a hold, a firing) does not. So
  // many runs may wait at once while only as many start as there are cores.
  std::counting_semaphore<> startup_slots(startup_slot_count());
  RunOptions options = target_run_options(request);
  options.startup_slots = &startup_slots;
  options.more_runs_follow = selected.size() > 1 || request.repeat != 1;
  const int jobs = request.jobs > 0 ? request.jobs : kDefaultJobs;
  const TextReportOptions text{.color = streams.color, .verbose = request.verbose};

  std::vector<ScenarioOutcome> all;
  for (int round = 0; request.repeat == 0 || round < request.repeat; ++round) {
    // Unbounded (--until-fail alone): counted per round.
    const Progress progress =
        request.repeat == 0
            ? Progress{0, selected.size()}
            : Progress{all.size(), selected.size() * static_cast<std::size_t>(request.repeat)};
    auto outcomes = run_pool(
        selected, jobs,
        [&](const Scenario& scenario) {
          if (const auto skip = skipped.find(scenario.file); skip != skipped.end()) {
            return ScenarioOutcome{scenario, {}, skipped_verdict(skip->second), round};
          }
          ScenarioOutcome o{scenario, backend.run(scenario, options), {}, round};
          o.verdict = backend.judge(o.scenario, o.result);
          return o;
        },
        [&](const ScenarioOutcome& o) {
          return scenario_text(o.scenario, o.result, o.verdict, text);
        },
        streams.out, progress);
    const bool round_failed = std::any_of(outcomes.begin(), outcomes.end(), failed);
    std::move(outcomes.begin(), outcomes.end(), std::back_inserter(all));
    if (request.until_fail && round_failed) break;
    if (selected.empty()) break;
  }

  streams.out << summary_text(all, {rerun_flags(request)});
  bool written = true;
  if (!request.junit_file.empty()) {
    written = write_file(request.junit_file, junit_report(all), streams.err) && written;
  }
  if (!request.json_file.empty()) {
    written = write_file(request.json_file, json_report(all), streams.err) && written;
  }
  const bool harness_error = std::any_of(all.begin(), all.end(), [](const ScenarioOutcome& o) {
    return o.result.harness_error.has_value();
  });
  if (harness_error || !written) return kExitError;
  return std::any_of(all.begin(), all.end(), failed) ? kExitFail : kExitPass;
}

}  // namespace harness::cli
