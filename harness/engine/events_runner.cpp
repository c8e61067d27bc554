#include "events_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <strings.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

#include "control_events.h"
#include "fleet_client.h"
#include "process_pidfd.h"
#include "scenario/overloaded.h"
#include "scenario/scenario_requirements.h"
#include "send_http.h"

namespace harness {

EventsRunner::EventsRunner(std::vector<Event> events, int pidfd, Clock::time_point spawned,
                           Clock::time_point deadline, Millis exit_grace,
                           std::function<void()> on_done)
    : events_(std::move(events)),
      pidfd_(::fcntl(pidfd, F_DUPFD_CLOEXEC, 0)),
      spawned_(spawned),
      deadline_(deadline),
      exit_grace_(exit_grace),
      cancel_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      on_done_(std::move(on_done)) {  // without an eventfd (-1), the deadline still bounds
  if (std::any_of(events_.begin(), events_.end(), [](const Event& event) {
        const auto* grpc = event.as<GrpcEvent>();
        return grpc && (grpc->sign || grpc->message.find("{public_key}") != std::string::npos);
      })) {
    node_key_ = std::make_unique<superlink_grpc::NodeKey>();
  }
}

EventsRunner::~EventsRunner() {
  finish();
}

void EventsRunner::outside_faults(OutsideFaultContext context) {
  context.deadline = deadline_;
  context.cancel_fd = cancel_fd_.get();
  outside_ = std::make_unique<OutsideFaults>(std::move(context));
}

void EventsRunner::start() {
  if (!outside_) outside_faults({});
  thread_ = std::thread([this] { run(); });
}

void EventsRunner::allocated(std::map<std::string, std::string> addresses) {
  std::lock_guard lock(mutex_);
  if (!addresses_) addresses_ = std::move(addresses);
}

void EventsRunner::ready(std::map<std::string, std::string> addresses) {
  std::lock_guard lock(mutex_);
  addresses_ = std::move(addresses);
  ready_at_ = Clock::now();
  changed_.notify_all();
}

void EventsRunner::started() {
  std::lock_guard lock(mutex_);
  if (!started_at_) started_at_ = Clock::now();
  changed_.notify_all();
}

void EventsRunner::fired(const std::string& site, Clock::time_point when) {
  std::lock_guard lock(mutex_);
  fired_at_.emplace(site, when);
  changed_.notify_all();
}

void EventsRunner::line_matched(const std::string& pattern, Clock::time_point when) {
  std::lock_guard lock(mutex_);
  line_at_.emplace(pattern, when);
  changed_.notify_all();
}

void EventsRunner::target_exited() {
  std::lock_guard lock(mutex_);
  exited_ = true;
  changed_.notify_all();
}

std::vector<EventOutcome> EventsRunner::finish() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    changed_.notify_all();
  }
  if (cancel_fd_.get() >= 0) {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(cancel_fd_.get(), &one, sizeof one);
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  if (outside_) outside_->settle(outcomes_);  // a system-call fault that never came is not done
  outside_.reset();                           // the run has ended: its lock, ports and injectors go
  return outcomes_;
}

EventsRunner::Wait EventsRunner::wait_until(std::unique_lock<std::mutex>& lock,
                                            Clock::time_point when) {
  changed_.wait_until(lock, when, [&] { return exited_ || stopped_; });
  if (exited_) return Wait::Exited;
  if (stopped_) return Wait::Stopped;
  return Wait::Reached;
}

std::optional<EventsRunner::Clock::time_point> EventsRunner::wait_anchor(
    std::unique_lock<std::mutex>& lock, const Event& event, Wait& why_not) {
  const auto anchor = [&]() -> std::optional<Clock::time_point> {
    switch (event.at) {
      case Event::Anchor::Spawn:
        return spawned_;
      case Event::Anchor::Start:
        return started_at_;
      case Event::Anchor::Ready:
        return ready_at_;
      case Event::Anchor::Fired: {
        const auto it = fired_at_.find(event.fired_site);
        if (it == fired_at_.end()) return std::nullopt;
        return it->second;
      }
      case Event::Anchor::Line: {
        const auto it = line_at_.find(event.line_pattern);
        if (it == line_at_.end()) return std::nullopt;
        return it->second;
      }
    }
    return std::nullopt;
  };
  // A control event needs the endpoint's address, which comes with the ready file.
  const auto reached = [&] {
    return anchor().has_value() && (!event.as<FailpointControl>() || ready_at_);
  };
  changed_.wait(lock, [&] { return reached() || exited_ || stopped_; });
  if (reached()) return anchor();
  why_not = exited_ ? Wait::Exited : Wait::Stopped;
  return std::nullopt;
}

void EventsRunner::record_rest(std::size_t from_event, int from_repetition,
                               const std::string& error) {
  const Nanos now = std::chrono::duration_cast<Nanos>(Clock::now() - spawned_);
  for (std::size_t i = from_event; i < events_.size(); ++i) {
    for (int r = i == from_event ? from_repetition : 0; r < events_[i].count; ++r) {
      EventOutcome outcome;
      outcome.event = i;
      outcome.repetition = r;
      outcome.at = now;
      outcome.error = error;
      outcomes_.push_back(std::move(outcome));
    }
  }
}

void EventsRunner::run() {
  std::unique_lock lock(mutex_);
  const auto error_for = [](Wait wait) {
    return wait == Wait::Exited ? "target had exited" : "the run ended first";
  };
  for (std::size_t i = 0; i < events_.size(); ++i) {
    const Event& event = events_[i];
    Wait why_not = Wait::Reached;
    const std::optional<Clock::time_point> anchor = wait_anchor(lock, event, why_not);
    if (!anchor) {
      record_rest(i, 0, error_for(why_not));
      break;
    }
    const Wait wait = wait_until(lock, *anchor + event.delay);
    if (wait != Wait::Reached) {
      record_rest(i, 0, error_for(wait));
      break;
    }
    const std::map<std::string, std::string> addresses = addresses_.value_or(decltype(addresses){});
    if (event.background) {
      // Its outcomes keep their places in the event order; its thread fills them in.
      const std::size_t first_slot = outcomes_.size();
      outcomes_.resize(first_slot + static_cast<std::size_t>(event.count));
      background_.emplace_back([this, &event, i, first_slot, addresses] {
        for (int r = 0; r < event.count; ++r) {
          EventOutcome outcome = perform(event, i, r, addresses);
          const std::lock_guard relock(mutex_);
          outcomes_[first_slot + static_cast<std::size_t>(r)] = std::move(outcome);
        }
      });
      continue;
    }
    lock.unlock();
    bool failed_control = false;
    for (int r = 0; r < event.count; ++r) {
      EventOutcome outcome = perform(event, i, r, addresses);
      failed_control = event.as<FailpointControl>() && outcome.unsent;
      std::lock_guard relock(mutex_);
      outcomes_.push_back(std::move(outcome));
    }
    lock.lock();
    if (failed_control) {  // what follows counted on it (a thread parked, a site armed)
      record_rest(i + 1, 0, "an earlier event failed");
      break;
    }
  }
  lock.unlock();
  for (std::thread& request : background_) request.join();  // every answer is in
  if (on_done_) on_done_();
}

EventOutcome EventsRunner::perform(const Event& event, std::size_t index, int repetition,
                                   const std::map<std::string, std::string>& addresses) {
  EventOutcome outcome;
  outcome.event = index;
  outcome.repetition = repetition;
  outcome.at = std::chrono::duration_cast<Nanos>(Clock::now() - spawned_);
  {
    std::lock_guard lock(mutex_);
    if (exited_) {
      outcome.error = "target had exited";
      return outcome;
    }
  }
  // Fleet API calls need the address of the Fleet API.
  const auto fleet = [&]() -> const std::string* {
    const auto it = addresses.find("fleet");
    if (it != addresses.end()) return &it->second;
    outcome.error = "no fleet address: the target serves no Fleet API";
    outcome.unsent = true;
    return nullptr;
  };
  std::visit(
      Overloaded{
          [&](const FailpointControl& control) { perform_control(control, addresses, outcome); },
          [&](const SignalEvent& e) { perform_signal(e.signal, outcome); },
          [&](const GrpcEvent& e) {
            if (const std::string* address = fleet()) perform_grpc(e, *address, outcome);
          },
          [&](const RequestEvent& e) {
            if (const std::string* address = fleet()) {
              perform_request(e, *address, outcome);
            }
          },
          [&](const auto&) { outside_->perform(event, addresses, outcome); },
      },
      event.action);
  return outcome;
}

void EventsRunner::perform_control(const FailpointControl& control,
                                   const std::map<std::string, std::string>& addresses,
                                   EventOutcome& outcome) {
  HttpBounds bounds;
  bounds.deadline = deadline_;
  bounds.cancel_fd = cancel_fd_.get();
  const ControlResult result = harness::perform_control(control, addresses, bounds, outcome);
  // A wait is done when it ends, not when it was asked for.
  if (control.kind == FailpointControl::Kind::WaitPaused) {
    outcome.at = std::chrono::duration_cast<Nanos>(Clock::now() - spawned_);
  }
  if (outcome.error == "cancelled") {
    outcome.error = "the run ended first";
  } else if (result == ControlResult::NoAnswer) {
    settle_unsent(outcome);
  } else if (result == ControlResult::Refused) {
    outcome.unsent = true;
  }
}

void EventsRunner::perform_signal(int signal, EventOutcome& outcome) {
  if (send_signal(pidfd_.get(), signal) != 0) {
    if (errno == ESRCH) {
      outcome.error = "target had exited";
    } else {
      outcome.error = std::string("cannot signal: ") + std::strerror(errno);
      outcome.unsent = true;
    }
  }
}

void EventsRunner::perform_request(const RequestEvent& event, const std::string& address,
                                   EventOutcome& outcome) {
  HttpRequest request;
  request.method = event.method;
  request.address = address;
  // A path from "/" goes as it is; a route name or raw/<path> under the Fleet API's prefix.
  const std::string& target = event.route;
  request.path = target.starts_with('/') ? target : "/api/v0/fleet/" + target;
  request.headers = {{"Content-Type", "application/protobuf"}, {"Accept", "application/protobuf"}};
  for (const auto& [name, value] : event.headers) {
    // Header names are case-insensitive: "accept" replaces the default "Accept".
    const std::string& header_name = name;  // a lambda may not capture a binding before C++20
    std::erase_if(request.headers, [&header_name](const auto& header) {
      return ::strcasecmp(header.first.c_str(), header_name.c_str()) == 0;
    });
    if (!value.empty()) request.headers[name] = value;
  }
  request.body = event.body.value_or("");
  HttpBounds bounds;
  bounds.deadline = deadline_;
  bounds.cancel_fd = cancel_fd_.get();
  HttpResponse response = send_http(request, bounds);
  outcome.status = response.status;
  outcome.body = std::move(response.body);
  outcome.body_cut = response.body_cut;
  outcome.error = std::move(response.error);
  if (outcome.error == "cancelled") {
    outcome.error = "the run ended first";
  } else if (!response.sent) {
    settle_unsent(outcome);
  }
}

// One gRPC call: its status and answer are the outcome (a failed call is an answer too: a
// refused connection is UNAVAILABLE); the run's deadline bounds it, the client bounds the answer.
void EventsRunner::perform_grpc(const GrpcEvent& event, const std::string& address,
                                EventOutcome& outcome) {
  superlink_grpc::FleetCall call;
  call.address = address;
  call.rpc = event.rpc;
  call.request_type = event.request_type;
  call.response_type = event.response_type;
  call.request_json = event.message;
  {
    const std::lock_guard lock(mutex_);
    for (std::size_t at; (at = call.request_json.find("{node_id}")) != std::string::npos;) {
      call.request_json.replace(at, 9, node_id_);
    }
  }
  if (node_key_) {
    for (std::size_t at; (at = call.request_json.find("{public_key}")) != std::string::npos;) {
      call.request_json.replace(at, 12, node_key_->public_key_base64());
    }
  }
  call.key = event.sign ? node_key_.get() : nullptr;
  call.deadline = std::max(Millis(1), std::chrono::duration_cast<Millis>(deadline_ - Clock::now()));
  call.max_answer_bytes = 64 * 1024;
  const superlink_grpc::FleetAnswer answer = superlink_grpc::call_fleet(call);
  outcome.grpc_code = answer.code;
  // {"node":{"nodeId":"N"}} or {"nodeId":"N"}: the node later calls name as {node_id}.
  if (answer.code == "OK" && (call.rpc == "CreateNode" || call.rpc == "RegisterNode")) {
    const auto key = answer.json.find("\"nodeId\":\"");
    if (key != std::string::npos) {
      const auto start = key + 10;
      const std::lock_guard lock(mutex_);
      node_id_ = answer.json.substr(start, answer.json.find('"', start) - start);
    }
  }
  std::string details;
  for (const char c : answer.details) {
    if (c == '"' || c == '\\') details += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) details += c;
  }
  outcome.body = "{\"code\":\"" + answer.code + "\",\"details\":\"" + details + "\"" +
                 (answer.json.empty() ? "" : ",\"message\":" + answer.json) + "}";
}

void EventsRunner::settle_unsent(EventOutcome& outcome) {
  const Clock::time_point until = std::min(deadline_, Clock::now() + exit_grace_);
  pollfd watch[2] = {{pidfd_.get(), POLLIN, 0}, {cancel_fd_.get(), POLLIN, 0}};
  int ready = 0;
  do {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
    ready = ::poll(watch, cancel_fd_.get() >= 0 ? 2 : 1, left > 0 ? static_cast<int>(left) : 0);
  } while (ready < 0 && errno == EINTR);
  if (watch[0].revents != 0) {
    outcome.error = "target had exited (" + outcome.error + ")";
  } else {
    outcome.unsent = true;
  }
}

}  // namespace harness
