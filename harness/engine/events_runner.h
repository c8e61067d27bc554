// The [[events]] of a scenario, done to the running target on a thread of their own, so that a
// slow request never holds up the reading of the target's output.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "faults/outside_faults.h"
#include "harness/run_result.h"
#include "harness/scenario.h"
#include "unique_fd.h"

namespace superlink_grpc {
class NodeKey;
}

namespace harness {

class EventsRunner {
 public:
  using Clock = std::chrono::steady_clock;

  // `pidfd` is duplicated (signals go through it, so a reused pid is never hit). No request
  // outlasts `deadline` (the run's) or finish(). `on_done` runs on the events thread once every
  // event has an outcome.
  // A request that cannot be sent waits up to `exit_grace` for the target to exit: one that is
  // going down is "target had exited", not a failure of the run.
  EventsRunner(std::vector<Event> events, int pidfd, Clock::time_point spawned,
               Clock::time_point deadline, Millis exit_grace, std::function<void()> on_done);
  ~EventsRunner();
  EventsRunner(const EventsRunner&) = delete;
  EventsRunner& operator=(const EventsRunner&) = delete;

  // Before start(): what outside faults work on (the deadline and cancellation are this
  // runner's). Without it they find no database and journal nothing.
  void outside_faults(OutsideFaultContext context);
  void start();
  // The target wrote its first line of output (anchor "start").
  void started();
  // The addresses the harness gave the target (its allocated ports), known from the spawn on:
  // events before ready (an `occupy` at spawn, a request at start) use them.
  void allocated(std::map<std::string, std::string> addresses);
  // The target is ready; requests go to addresses["fleet"].
  void ready(std::map<std::string, std::string> addresses);
  // `site` fired first at `when` (anchor "fired:SITE").
  void fired(const std::string& site, Clock::time_point when);
  // A line of output first matched the `line:` anchor `pattern` at `when`.
  void line_matched(const std::string& pattern, Clock::time_point when);
  // The target has exited: events not done yet get the error "target had exited".
  void target_exited();
  // Ends the thread, cutting a request short (events not done: "the run ended first"), and
  // returns every outcome.
  std::vector<EventOutcome> finish();

 private:
  enum class Wait { Reached, Exited, Stopped };
  Wait wait_until(std::unique_lock<std::mutex>& lock, Clock::time_point when);
  // Waits for the event's anchor; the anchor's time when it came first.
  std::optional<Clock::time_point> wait_anchor(std::unique_lock<std::mutex>& lock,
                                               const Event& event, Wait& why_not);
  void run();
  EventOutcome perform(const Event& event, std::size_t index, int repetition,
                       const std::map<std::string, std::string>& addresses);
  // Marks a failed request or signal: "target had exited" when the target exits within the
  // grace (without holding up the run longer than its deadline), else unsent.
  void settle_unsent(EventOutcome& outcome);
  void perform_control(const FailpointControl& control,
                       const std::map<std::string, std::string>& addresses, EventOutcome& outcome);
  void perform_signal(int signal, EventOutcome& outcome);
  void perform_request(const RequestEvent& event, const std::string& address,
                       EventOutcome& outcome);
  void perform_grpc(const GrpcEvent& event, const std::string& address, EventOutcome& outcome);
  void record_rest(std::size_t from_event, int from_repetition, const std::string& error);

  std::vector<Event> events_;
  // The run's one key pair, for signed gRPC calls (so CreateNode's node is the later calls').
  std::unique_ptr<superlink_grpc::NodeKey> node_key_;
  std::string node_id_ = "0";  // the node the last CreateNode/RegisterNode made: {node_id}
  UniqueFd pidfd_;
  Clock::time_point spawned_;
  Clock::time_point deadline_;
  Millis exit_grace_;
  UniqueFd cancel_fd_;  // an eventfd finish() makes readable: an unanswered request gives up
  std::function<void()> on_done_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<std::map<std::string, std::string>> addresses_;  // set when ready
  std::optional<Clock::time_point> ready_at_;
  std::optional<Clock::time_point> started_at_;
  std::map<std::string, Clock::time_point> fired_at_;
  std::map<std::string, Clock::time_point> line_at_;
  bool exited_ = false;
  bool stopped_ = false;
  std::vector<EventOutcome> outcomes_;
  std::unique_ptr<OutsideFaults> outside_;  // used on the events thread; released by finish()
  std::thread thread_;
  std::vector<std::thread> background_;  // `background` requests; started and joined by thread_
};

}  // namespace harness
