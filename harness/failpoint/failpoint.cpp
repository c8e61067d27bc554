// The failpoint runtime: the registry of armed sites, evaluation and the tasks.
#include "failpoint/failpoint.h"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <random>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "journal.h"
#include "spec.h"
#include "testing_hooks.h"

namespace failpoint {

namespace internal {
std::atomic<bool> g_any_armed{false};
}  // namespace internal

namespace {

using internal::Action;
using internal::Task;

// One armed site: its actions, what is left of their counts, and its hit counter.
struct Site {
  Site(std::string n, std::string text, std::vector<Action> a)
      : name(std::move(n)),
        actions_text(std::move(text)),
        actions(std::move(a)),
        remaining(std::make_unique<std::atomic<std::uint64_t>[]>(actions.size())) {
    for (std::size_t i = 0; i < actions.size(); ++i) {
      remaining[i].store(actions[i].count.value_or(0), std::memory_order_relaxed);
    }
  }

  const std::string name;
  const std::string actions_text;
  const std::vector<Action> actions;
  const std::unique_ptr<std::atomic<std::uint64_t>[]> remaining;
  std::atomic<std::uint64_t> hits{0};
  // Guarded by Registry::pause_mu.
  bool released = false;    // set when disarmed or re-armed: its paused threads go on for good
  std::uint64_t wakes = 0;  // resume() counts up: the threads parked before it go on
  std::size_t parked = 0;   // threads parked on this site right now
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

struct Registry {
  std::shared_mutex mu;  // guards sites, order and declared
  std::unordered_map<std::string, std::shared_ptr<Site>, StringHash, std::equal_to<>> sites;
  std::vector<std::string> order;
  std::vector<SiteInfo> declared;

  // Whoever releases parked threads takes them off these counts at once, so a wait_paused
  // right after a resume waits for the next pause instead of seeing the one just released.
  std::mutex pause_mu;
  std::condition_variable pause_cv;
  std::size_t paused = 0;  // every parked thread
  std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> parked_at;

  std::mutex rng_mu;
  std::mt19937_64 rng;
  std::atomic<std::uint64_t> seed{0};

  std::atomic<PrintHandler> print_handler{nullptr};
  std::atomic<ExitHandler> exit_handler{nullptr};
  std::atomic<PanicHandler> panic_handler{nullptr};

  Registry() {
    const std::uint64_t s = (std::uint64_t{std::random_device{}()} << 32) ^ std::random_device{}();
    seed.store(s);
    rng.seed(s);
  }
};

Registry& registry() {
  static auto* r = new Registry;  // never destroyed: threads may hit sites while the process exits
  return *r;
}

// Takes the threads parked on `site` off the counts; returns how many. Caller holds pause_mu.
std::size_t uncount_parked(Registry& r, Site& site) {
  const std::size_t n = site.parked;
  site.parked = 0;
  r.paused -= n;
  if (const auto it = r.parked_at.find(site.name); it != r.parked_at.end()) {
    it->second -= n;
    if (it->second == 0) r.parked_at.erase(it);
  }
  return n;
}

// Wakes every thread paused on these sites: they were disarmed or re-armed.
void release(const std::vector<std::shared_ptr<Site>>& gone) {
  if (gone.empty()) return;
  auto& r = registry();
  {
    std::lock_guard lock(r.pause_mu);
    for (const auto& site : gone) {
      site->released = true;
      uncount_parked(r, *site);
    }
  }
  r.pause_cv.notify_all();
}

// Throws SpecError when sites are declared and `name` is not one of them. Caller holds r.mu.
void check_declared(const Registry& r, const std::string& name) {
  if (r.declared.empty()) return;
  for (const auto& d : r.declared) {
    if (d.name == name) return;
  }
  std::vector<std::string> names;
  for (const auto& d : r.declared) names.push_back(d.name);
  std::sort(names.begin(), names.end());
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  throw UnknownSiteError("failpoint '" + name + "': unknown site (known: " + known + ")");
}

std::string checked_site_name(std::string_view site) {
  std::string name(internal::trim(site));
  if (name.empty()) throw SpecError("failpoint '': empty site name");
  return name;
}

// Arms (or re-arms) one site; `check` false skips the declared-site check (restoring state).
void arm(std::string name, std::string text, std::vector<Action> actions, bool check) {
  auto& r = registry();
  auto site = std::make_shared<Site>(name, std::move(text), std::move(actions));
  std::shared_ptr<Site> old;
  {
    std::unique_lock lock(r.mu);
    if (check) check_declared(r, name);
    auto& slot = r.sites[name];
    old = std::move(slot);
    slot = std::move(site);
    if (!old) r.order.push_back(std::move(name));
    internal::g_any_armed.store(true, std::memory_order_relaxed);
  }
  if (old) release({old});
}

// True when the probability roll of an action with `percent` succeeds.
bool roll(double percent) {
  if (percent >= 100.0) return true;
  if (percent <= 0.0) return false;
  auto& r = registry();
  std::uint64_t draw;
  {
    std::lock_guard lock(r.rng_mu);
    draw = r.rng();
  }
  // 53 random bits as a uniform double in [0, 100).
  const double x = static_cast<double>(draw >> 11) * 0x1.0p-53 * 100.0;
  return x < percent;
}

// fail-rs's Action::get_task: a used-up count yields nothing, a failed roll yields nothing, and
// a yielding action uses one from its count.
bool yields(Site& site, std::size_t i) {
  const Action& action = site.actions[i];
  auto& left = site.remaining[i];
  if (action.count && left.load(std::memory_order_acquire) == 0) return false;
  if (!roll(action.percent)) return false;
  if (action.count) {
    std::uint64_t n = left.load(std::memory_order_acquire);
    do {
      if (n == 0) return false;
    } while (!left.compare_exchange_weak(n, n - 1, std::memory_order_acq_rel));
  }
  return true;
}

// The `pause` task. Its journal line is written here, under pause_mu, so it is in the journal
// before wait_paused can report the thread parked.
void pause_until_released(Site& site, std::uint64_t hit) {
  auto& r = registry();
  std::unique_lock lock(r.pause_mu);
  if (site.released) {
    internal::journal_firing(hit, site.name, "pause", "", /*parked=*/false);
    return;
  }
  internal::journal_firing(hit, site.name, "pause", "", /*parked=*/true);
  const std::uint64_t wakes = site.wakes;
  ++site.parked;
  ++r.paused;
  ++r.parked_at[site.name];
  r.pause_cv.notify_all();  // for wait_paused
  r.pause_cv.wait(lock, [&] { return site.released || site.wakes != wakes; });
}

// The armed Site named `name`; null when it is not armed.
std::shared_ptr<Site> armed_site(std::string_view name) {
  auto& r = registry();
  std::shared_lock lock(r.mu);
  const auto it = r.sites.find(name);
  return it == r.sites.end() ? nullptr : it->second;
}

void busy_wait(std::chrono::milliseconds ms) {
  const auto until = std::chrono::steady_clock::now() + ms;
  while (std::chrono::steady_clock::now() < until) {
  }
}

// A genuine invalid memory access, so the kernel delivers SIGSEGV. The pointer is itself
// volatile, so the compiler cannot see that it is null and turn the access into a trap, and it
// points to volatile, so the store cannot be dropped as dead. UBSan's null check would report
// the store instead of letting it fault, so it is off here.
[[noreturn]] __attribute__((no_sanitize("undefined"))) void segv() {
  volatile int* volatile target = nullptr;
  *target = 1;
  std::abort();  // only if a SIGSEGV handler returned
}

void default_print(std::string_view site, std::string_view message) {
  const std::string line = "failpoint '" + std::string(site) + "': " + std::string(message) + "\n";
  [[maybe_unused]] const auto n = ::write(STDERR_FILENO, line.data(), line.size());
}

// What a `panic` task's Panic carries: its argument, or fail-rs's default text.
std::string panic_message(const Site& site, const Action& action) {
  return action.arg.value_or("failpoint " + site.name + " panic");
}

[[noreturn]] void exit_process(int code) {
  if (const auto handler = registry().exit_handler.load()) handler(code);
  std::fflush(nullptr);
  ::_exit(code);
}

}  // namespace

Panic::Panic(std::string site, std::string message)
    : std::runtime_error(message), site_(std::move(site)), message_(std::move(message)) {}

void declare_sites(std::vector<SiteInfo> sites) {
  auto& r = registry();
  std::unique_lock lock(r.mu);
  r.declared = std::move(sites);
}

std::vector<SiteInfo> declared_sites() {
  auto& r = registry();
  std::shared_lock lock(r.mu);
  return r.declared;
}

void configure(std::string_view spec) {
  auto entries = internal::parse_spec(spec);
  auto& r = registry();
  std::unordered_map<std::string, std::shared_ptr<Site>, StringHash, std::equal_to<>> sites;
  std::vector<std::string> order;
  for (auto& e : entries) {
    order.push_back(e.site);
    auto site = std::make_shared<Site>(e.site, std::move(e.actions_text), std::move(e.actions));
    sites.emplace(std::move(e.site), std::move(site));
  }
  std::vector<std::shared_ptr<Site>> gone;
  {
    std::unique_lock lock(r.mu);
    for (const auto& name : order) check_declared(r, name);
    for (auto& [name, site] : r.sites) gone.push_back(std::move(site));
    r.sites = std::move(sites);
    r.order = std::move(order);
    internal::g_any_armed.store(!r.sites.empty(), std::memory_order_relaxed);
  }
  release(gone);
}

void configure_one(std::string_view site, std::string_view actions) {
  auto name = checked_site_name(site);
  auto parsed = internal::parse_actions(name, actions);
  arm(std::move(name), std::string(internal::trim(actions)), std::move(parsed), /*check=*/true);
}

void check_actions(std::string_view site, std::string_view actions) {
  internal::parse_actions(checked_site_name(site), actions);
}

std::vector<std::string> spec_site_names(std::string_view spec) {
  std::vector<std::string> names;
  for (const internal::SpecPart& part : internal::split_spec(spec)) names.emplace_back(part.name);
  return names;
}

void disarm(std::string_view site) {
  auto& r = registry();
  std::shared_ptr<Site> old;
  {
    std::unique_lock lock(r.mu);
    const auto it = r.sites.find(site);
    if (it == r.sites.end()) return;
    old = std::move(it->second);
    r.sites.erase(it);
    r.order.erase(std::find(r.order.begin(), r.order.end(), site));
    internal::g_any_armed.store(!r.sites.empty(), std::memory_order_relaxed);
  }
  release({old});
}

void teardown() {
  auto& r = registry();
  std::vector<std::shared_ptr<Site>> gone;
  {
    std::unique_lock lock(r.mu);
    for (auto& [name, site] : r.sites) gone.push_back(std::move(site));
    r.sites.clear();
    r.order.clear();
    internal::g_any_armed.store(false, std::memory_order_relaxed);
  }
  release(gone);
}

std::vector<std::string> armed_sites() {
  auto& r = registry();
  std::shared_lock lock(r.mu);
  return r.order;
}

std::optional<std::string> armed_actions(std::string_view site) {
  auto& r = registry();
  std::shared_lock lock(r.mu);
  const auto it = r.sites.find(site);
  if (it == r.sites.end()) return std::nullopt;
  return it->second->actions_text;
}

bool any_probabilistic() {
  auto& r = registry();
  std::shared_lock lock(r.mu);
  for (const auto& [name, site] : r.sites) {
    for (const auto& a : site->actions) {
      if (a.percent < 100.0) return true;
    }
  }
  return false;
}

void check_site(std::string_view site) {
  auto& r = registry();
  std::shared_lock lock(r.mu);
  check_declared(r, std::string(site));
}

std::vector<SiteState> site_states() {
  auto& r = registry();
  std::vector<SiteState> states;
  std::vector<std::shared_ptr<Site>> armed;
  {
    std::shared_lock lock(r.mu);
    for (const auto& d : r.declared) states.push_back({d.name, d.where, {}, 0, 0});
    for (const auto& name : r.order) {
      const auto declared = std::find_if(states.begin(), states.end(),
                                         [&](const SiteState& s) { return s.name == name; });
      if (declared == states.end()) states.push_back({name, "", {}, 0, 0});
    }
    for (auto& state : states) {
      if (const auto it = r.sites.find(state.name); it != r.sites.end()) {
        state.actions = it->second->actions_text;
        state.hits = it->second->hits.load(std::memory_order_relaxed);
      }
    }
  }
  std::lock_guard lock(r.pause_mu);  // never taken under r.mu: wait_paused holds it alone
  for (auto& state : states) {
    if (const auto it = r.parked_at.find(state.name); it != r.parked_at.end()) {
      state.paused = it->second;
    }
  }
  return states;
}

bool wait_paused(std::string_view site, std::chrono::milliseconds timeout) {
  check_site(site);
  auto& r = registry();
  std::unique_lock lock(r.pause_mu);
  return r.pause_cv.wait_for(lock, timeout, [&] { return r.parked_at.contains(site); });
}

std::size_t resume(std::string_view name) {
  check_site(name);
  const auto site = armed_site(name);
  if (!site) return 0;  // a disarmed site has already let its threads go
  auto& r = registry();
  std::size_t released;
  {
    std::lock_guard lock(r.pause_mu);
    ++site->wakes;
    released = uncount_parked(r, *site);
  }
  r.pause_cv.notify_all();
  return released;
}

void set_seed(std::uint64_t seed) {
  auto& r = registry();
  std::lock_guard lock(r.rng_mu);
  r.rng.seed(seed);
  r.seed.store(seed, std::memory_order_relaxed);
}

std::uint64_t seed() {
  return registry().seed.load(std::memory_order_relaxed);
}

void set_print_handler(PrintHandler handler) {
  registry().print_handler.store(handler);
}

void set_exit_handler(ExitHandler handler) {
  registry().exit_handler.store(handler);
}

void set_panic_handler(PanicHandler handler) {
  registry().panic_handler.store(handler);
}

ScopedArm::ScopedArm(std::string_view site, std::string_view actions)
    : site_(checked_site_name(site)), previous_(armed_actions(site_)) {
  configure_one(site_, actions);
}

ScopedArm::~ScopedArm() {
  try {
    if (previous_) {
      arm(site_, *previous_, internal::parse_actions(site_, *previous_), /*check=*/false);
    } else {
      disarm(site_);
    }
  } catch (...) {
    // Out of memory: the site stays as the scope left it.
  }
}

namespace internal {

std::optional<std::string> eval(std::string_view name) {
  auto& r = registry();
  std::shared_ptr<Site> site;
  {
    std::shared_lock lock(r.mu);
    const auto it = r.sites.find(name);
    if (it == r.sites.end()) return std::nullopt;
    site = it->second;
  }
  const std::uint64_t hit = site->hits.fetch_add(1, std::memory_order_relaxed) + 1;
  const Action* action = nullptr;
  for (std::size_t i = 0; i < site->actions.size(); ++i) {
    if (yields(*site, i)) {
      action = &site->actions[i];
      break;
    }
  }
  if (action == nullptr || action->task == Task::kOff) return std::nullopt;

  if (action->task == Task::kPanic) {
    if (const auto handler = r.panic_handler.load())
      handler(site->name, panic_message(*site, *action));
  }
  if (action->task != Task::kPause) {
    journal_firing(hit, site->name, task_name(action->task), action->arg.value_or(""));
  }

  switch (action->task) {
    case Task::kOff:
      return std::nullopt;
    case Task::kReturn:
      return action->arg.value_or("");
    case Task::kSleep:
      std::this_thread::sleep_for(std::chrono::milliseconds(action->number));
      return std::nullopt;
    case Task::kPanic:
      throw Panic(site->name, panic_message(*site, *action));
    case Task::kPrint: {
      const auto message = action->arg.value_or("failpoint " + site->name + " executed");
      const auto handler = r.print_handler.load();
      (handler ? handler : default_print)(site->name, message);
      return std::nullopt;
    }
    case Task::kPause:
      pause_until_released(*site, hit);
      return std::nullopt;
    case Task::kYield:
      std::this_thread::yield();
      return std::nullopt;
    case Task::kDelay:
      busy_wait(std::chrono::milliseconds(action->number));
      return std::nullopt;
    case Task::kAbort:
      std::abort();
    case Task::kSegv:
      segv();
    case Task::kExit:
      exit_process(static_cast<int>(action->number));
  }
  return std::nullopt;
}

std::size_t paused_threads() {
  auto& r = registry();
  std::lock_guard lock(r.pause_mu);
  return r.paused;
}

bool wait_until_paused(std::size_t n, std::chrono::milliseconds timeout) {
  auto& r = registry();
  std::unique_lock lock(r.pause_mu);
  return r.pause_cv.wait_for(lock, timeout, [&] { return r.paused >= n; });
}

}  // namespace internal
}  // namespace failpoint
