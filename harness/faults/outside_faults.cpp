#include "outside_faults.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "database_faults.h"
#include "occupy_ports.h"
#include "scenario/overloaded.h"
#include "syscall_injection.h"
#include "user_command.h"

namespace harness {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t mono_now() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// The harness waits this long (within the run's deadline) for the target's own short locks
// before BEGIN EXCLUSIVE fails, and for the target to write a database file it has created.
constexpr std::chrono::milliseconds kDatabasePatience{5000};

std::string joined(const std::vector<std::string>& argv) {
  std::string text;
  for (const std::string& arg : argv) text += (text.empty() ? "" : " ") + arg;
  return text;
}

void not_done(EventOutcome& outcome, std::string why) {
  outcome.error = std::move(why);
  outcome.unsent = true;
}

}  // namespace

std::string outside_journal_line(std::uint64_t hit, std::string_view site, std::string_view task,
                                 std::string_view arg, std::int64_t mono_ns,
                                 std::string_view thread) {
  // ordered_json: the runtime's order of fields; invalid UTF-8 in a user's argv is replaced.
  nlohmann::ordered_json line;
  line["hit"] = hit;
  line["site"] = site;
  line["task"] = task;
  line["arg"] = arg;
  line["thread"] = thread;
  line["seed"] = 0;
  line["mono_ns"] = mono_ns;
  line["pid"] = static_cast<long>(::getpid());
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

OutsideFaults::OutsideFaults(OutsideFaultContext context) : context_(std::move(context)) {}

OutsideFaults::~OutsideFaults() {
  injections_.clear();  // detaches the injectors
  lock_.reset();
}

void OutsideFaults::perform(const Event& event, const std::map<std::string, std::string>& addresses,
                            EventOutcome& outcome) {
  try {
    std::visit(Overloaded{
                   [&](const DatabaseEvent& e) { database_fault(e.fault, outcome); },
                   [&](const OccupyEvent& e) { occupy(e.port, addresses, outcome); },
                   [&](const ReleaseEvent& e) { release(e.port, outcome); },
                   [&](const RunEvent& e) { run(e.argv, outcome); },
                   [&](const SyscallFault& fault) { syscall(fault, addresses, outcome); },
                   [](const auto&) {},  // not an outside fault
               },
               event.action);
  } catch (const std::exception& error) {
    not_done(outcome, error.what());
  }
}

void OutsideFaults::database_fault(const std::string& fault, EventOutcome& outcome) {
  const std::string& path = context_.database;
  const std::string site = "outside.database." + fault;
  std::int64_t began = mono_now();
  if (fault == "lock") {
    lock_ = std::make_unique<DatabaseLock>(path, patience());
    outcome.did = "locked " + path + " (BEGIN EXCLUSIVE, held until unlock or the run's end)";
  } else if (fault == "unlock") {
    if (!lock_) throw std::runtime_error("the harness holds no lock on " + path);
    std::unique_ptr<DatabaseLock> lock = std::move(lock_);
    lock->unlock();
    outcome.did = "unlocked " + path;
  } else if (fault == "corrupt" || fault == "truncate") {
    const Damage damage = fault == "corrupt" ? Damage::kZeroHeader : Damage::kTruncate;
    if (lock_) {
      lock_->damage(damage);  // the harness's own lock already keeps the target out
    } else {
      damage_database(path, damage, patience());
    }
    began = mono_now();  // what the target can see from now on; the wait for it is not counted
    outcome.did = damage == Damage::kZeroHeader ? "zeroed the 100-byte header of " + path
                                                : "truncated " + path + " to 0 bytes";
  } else if (fault == "remove") {
    if (lock_) {
      require_database_file(path);
      unlink_database(path);  // under the harness's own lock already
    } else {
      remove_database(path, patience());
    }
    outcome.did = "removed " + path;
  } else {
    throw std::invalid_argument("unknown database fault '" + fault + "'");
  }
  journal(site, fault, path, began);
}

std::chrono::milliseconds OutsideFaults::patience() const {
  return std::clamp(
      std::chrono::duration_cast<std::chrono::milliseconds>(context_.deadline - Clock::now()),
      std::chrono::milliseconds(0), kDatabasePatience);
}

void OutsideFaults::occupy(const std::string& name,
                           const std::map<std::string, std::string>& addresses,
                           EventOutcome& outcome) {
  const auto address = addresses.find(name);
  if (address == addresses.end()) {
    throw std::runtime_error("no " + name + " address in the ready file");
  }
  if (occupied_.contains(name)) throw std::runtime_error(name + " is occupied already");
  const std::int64_t began = mono_now();
  occupied_[name] = listen_on(address->second);
  outcome.did = "listening on " + address->second + " (the target's " + name + " address)";
  journal("outside.occupy." + name, "occupy", address->second, began);
}

void OutsideFaults::release(const std::string& name, EventOutcome& outcome) {
  const auto it = occupied_.find(name);
  if (it == occupied_.end()) throw std::runtime_error("the harness does not occupy " + name);
  const std::int64_t began = mono_now();
  occupied_.erase(it);  // closes the socket
  outcome.did = "closed the " + name + " socket";
  journal("outside.release." + name, "release", name, began);
}

void OutsideFaults::run(const std::vector<std::string>& argv, EventOutcome& outcome) {
  // Journalled from its start: a target that reacts to the command is timed from there.
  const std::int64_t began = mono_now();
  const CommandResult result =
      run_command(argv, context_.env, context_.work_dir, context_.deadline, context_.cancel_fd,
                  kCommandOutputLimit, [&] { journal("outside.run", "run", joined(argv), began); });
  if (result.spawn_error) {
    not_done(outcome, "cannot run '" + argv.front() + "': " + std::strerror(*result.spawn_error));
    return;
  }
  outcome.body = result.output;
  outcome.body_cut = result.output_cut;
  outcome.did = result.describe();
  if (!result.succeeded()) not_done(outcome, result.describe());
}

void OutsideFaults::syscall(const SyscallFault& fault,
                            const std::map<std::string, std::string>& addresses,
                            EventOutcome& outcome) {
  SyscallContext context{context_.target, addresses, context_.substitutions, context_.deadline,
                         context_.cancel_fd};
  auto journal_call = [this](std::string_view task, std::string_view arg, std::string_view thread,
                             std::int64_t mono_ns) {
    journal("outside.syscall", task, arg, mono_ns, thread);
  };
  injections_.emplace_back(outcome.event, std::make_unique<SyscallInjection>(
                                              fault, std::move(context), journal_call, outcome));
}

void OutsideFaults::settle(std::vector<EventOutcome>& outcomes) {
  for (auto& [event, injection] : injections_) {
    const auto outcome = std::find_if(outcomes.begin(), outcomes.end(),
                                      [&](const EventOutcome& o) { return o.event == event; });
    EventOutcome ignored;
    injection->settle(outcome == outcomes.end() ? ignored : *outcome);
  }
}

void OutsideFaults::journal(const std::string& site, std::string_view task, std::string_view arg,
                            std::int64_t mono_ns, std::string_view thread) {
  std::uint64_t hit = 0;
  {
    std::lock_guard lock(hits_mutex_);
    hit = ++hits_[site];
  }
  if (context_.journal.empty()) return;
  const std::string line = outside_journal_line(hit, site, task, arg, mono_ns, thread);
  const UniqueFd fd(
      ::open(context_.journal.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (!fd) return;  // the fault is done; the report then shows no firing for it
  ssize_t written;
  do {
    written = ::write(fd.get(), line.data(), line.size());
  } while (written < 0 && errno == EINTR);
}

}  // namespace harness
