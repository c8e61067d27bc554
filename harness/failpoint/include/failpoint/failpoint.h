// Failpoints: named sites in a program where a fault can be injected at run time.
//
// A site is written `FAILPOINT("scheduler.tick")`. It evaluates to a
// std::optional<std::string>: empty when nothing fired (or the task was one that only delays,
// prints or does nothing), and holding the argument when a `return` task fired, so the caller
// decides what "return" means at that site. A `panic` task throws failpoint::Panic; `abort`,
// `segv` and `exit(N)` end the process.
//
// Configuration uses tikv/fail-rs's grammar: `name=actions;name=actions`, where actions are
// `action->action...` and an action is `[p%][N*]task[(arg)]`.
//
// Sites are compiled in only where FAILPOINTS_ENABLED is 1 (targets get it by linking the CMake
// target `failpoint`). Elsewhere a site is an empty expression and arming it changes nothing.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace failpoint {

// Thrown by the `panic` task: the thread that runs the site dies with this cause. what() is the
// message alone (`panic(database is locked)` gives "database is locked"; a bare `panic` gives
// "failpoint NAME panic", as in fail-rs), so it reads as the cause of the thread's death.
class Panic : public std::runtime_error {
 public:
  Panic(std::string site, std::string message);
  const std::string& site() const { return site_; }
  const std::string& message() const { return message_; }

 private:
  std::string site_;
  std::string message_;
};

// A configuration that cannot be used: unknown site, bad grammar, bad number. what() names the
// bad piece, e.g. `failpoint 'scheduler.tik': unknown site (known: ...)`.
class SpecError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// The SpecError for a name the program did not declare, so a control endpoint can tell
// "no such site" (404) from "bad actions" (400).
class UnknownSiteError : public SpecError {
 public:
  using SpecError::SpecError;
};

// A site the program declares, with one line on where it is.
struct SiteInfo {
  std::string name;
  std::string where;
};

// Declares the sites of this program. Configuring a name that was not declared is an error
// (when no site was declared at all, any name is accepted: handy in unit tests).
void declare_sites(std::vector<SiteInfo> sites);
std::vector<SiteInfo> declared_sites();

// Replaces the whole configuration with `spec` ("a=...;b=..."). Throws SpecError; on error the
// previous configuration stays.
void configure(std::string_view spec);
// Arms (or re-arms) one site: `actions` as in the grammar. Throws SpecError.
void configure_one(std::string_view site, std::string_view actions);
// Checks `actions` against the grammar without arming anything and without looking at the
// declared sites (for tools that validate specs for another program). Throws SpecError with the
// same message configure_one would give.
void check_actions(std::string_view site, std::string_view actions);
// The site names of `spec` ("a=...;b=..."), split as configure splits it, nothing checked (an
// entry without '=' is all name): for a program that refuses some names before configuring.
std::vector<std::string> spec_site_names(std::string_view spec);
// Disarms one site (nothing happens when it is not armed); threads paused on it go on.
void disarm(std::string_view site);
// Disarms every site and releases threads blocked in `pause`.
void teardown();
// The actions of an armed site, as configured (trimmed); none when the site is not armed.
std::optional<std::string> armed_actions(std::string_view site);
// Names of the armed sites, in configuration order.
std::vector<std::string> armed_sites();
// True when an armed action has a probability below 100%.
bool any_probabilistic();

// Run-time control: what a test driver or a control endpoint uses while the program runs.
//
// Throws UnknownSiteError when sites are declared and `site` is not one of them.
void check_site(std::string_view site);

// One site as a listing shows it.
struct SiteState {
  std::string name;
  std::string where;                   // empty for a site that was armed but not declared
  std::optional<std::string> actions;  // as configured; none when not armed
  std::uint64_t hits = 0;              // evaluations since it was last (re-)armed; 0 unarmed
  std::size_t paused = 0;              // threads parked in its `pause` right now
};
// Every declared site in declaration order, then the armed sites that were not declared.
std::vector<SiteState> site_states();

// Blocks until at least one thread is parked in `pause` at `site` (it need not be armed yet);
// true at once when one already is, false when `timeout` passes first. Throws UnknownSiteError.
bool wait_paused(std::string_view site, std::chrono::milliseconds timeout);
// Releases the threads parked at `site` now and returns how many. The site stays armed, so a
// later pass that reaches `pause` parks again. Throws UnknownSiteError.
std::size_t resume(std::string_view site);

// The one generator behind every probabilistic action.
void set_seed(std::uint64_t seed);
std::uint64_t seed();

// Fault journal: every firing is appended with a single write(2) before its task runs, as one
// JSON object per line:
// {"hit":3,"site":"scheduler.tick","task":"panic","arg":"boom","thread":"scheduler",
//  "seed":42,"mono_ns":123456789,"pid":4242}
// A `pause` firing is written as the thread parks (before wait_paused can see it) and adds
// "parked":true, or "parked":false when the site was disarmed or re-armed first.
// mono_ns is CLOCK_MONOTONIC, comparable across processes. Throws std::system_error when the
// file cannot be opened.
void open_journal(const std::string& path);
void close_journal();

// Where the `print` task writes (default: one line on stderr).
using PrintHandler = void (*)(std::string_view site, std::string_view message);
void set_print_handler(PrintHandler handler);

// Called in the thread that runs a `panic` task before its firing is journalled and the Panic
// thrown (default: none), with the Panic's message. Whoever acts on the journal line (a signal
// sent on the firing) can then never overtake what the program decides about the dying thread.
// Must not throw.
using PanicHandler = void (*)(std::string_view site, std::string_view message);
void set_panic_handler(PanicHandler handler);

// What the `exit(N)` task calls (default: fflush(nullptr), then _exit(N)). A program installs
// its own to flush its logger first; the handler must not return.
using ExitHandler = void (*)(int code);
void set_exit_handler(ExitHandler handler);

// Arms one site for a scope and restores the previous state of that site when it ends.
class ScopedArm {
 public:
  ScopedArm(std::string_view site, std::string_view actions);
  ~ScopedArm();
  ScopedArm(const ScopedArm&) = delete;
  ScopedArm& operator=(const ScopedArm&) = delete;

 private:
  std::string site_;
  std::optional<std::string> previous_;
};

namespace internal {
// Fast path: false while nothing is armed, so an unarmed site costs one relaxed load.
extern std::atomic<bool> g_any_armed;
inline bool any_armed() noexcept {
  return g_any_armed.load(std::memory_order_relaxed);
}
std::optional<std::string> eval(std::string_view site);
}  // namespace internal

// Whether this translation unit's sites are compiled in. A program whose sites are compiled out
// (SUPERLINK_FAILPOINTS=OFF) refuses any arming with its own error instead of ignoring it, and
// lists no sites. Internal linkage: each translation unit sees its own build setting.
#if defined(FAILPOINTS_ENABLED) && FAILPOINTS_ENABLED
constexpr bool kSitesCompiledIn = true;
#else
constexpr bool kSitesCompiledIn = false;
#endif

// The refusal of an off build asked to arm through `how` ("FAILPOINTS", "--failpoint").
inline std::string compiled_out_refusal(std::string_view how) {
  return "cannot arm failpoints through " + std::string(how) +
         ": this build has them compiled out (SUPERLINK_FAILPOINTS=OFF)";
}

}  // namespace failpoint

#if defined(FAILPOINTS_ENABLED) && FAILPOINTS_ENABLED
#define FAILPOINT(site)                                                   \
  (::failpoint::internal::any_armed() ? ::failpoint::internal::eval(site) \
                                      : ::std::optional<::std::string>{})
#else
#define FAILPOINT(site) (static_cast<void>(sizeof(site)), ::std::optional<::std::string>{})
#endif
