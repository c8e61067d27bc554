// The SuperLink's state as the scheduler and the Fleet API see it - runs and nodes - in SQLite
// tables created as Flower 1.18's SqliteLinkState creates them. Every method runs its queries at
// once, so a damaged, truncated or locked database throws SQLite's own error as Python's sqlite3
// would raise it (superlink::PythonError). Safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "superlink/state/sqlite_connection.h"

namespace superlink {

// Flower's run statuses, from which of the run's timestamps are set.
enum class RunStatus { kPending, kStarting, kRunning, kFinished };

class LinkState {
 public:
  // Opens `path` (a file or ":memory:") and creates the tables that are missing. `busy_timeout`:
  // see SqliteConnection.
  explicit LinkState(const std::string& path,
                     std::chrono::milliseconds busy_timeout = kPythonBusyTimeout);

  // Adds `count` pending runs with the next free ids (1, 2, ... in a new database).
  void add_pending_runs(int count);
  // The runs still pending, oldest first: the real scheduler's query at every tick. Only reads,
  // as the real one, so a removed file goes unnoticed while a damaged one fails.
  std::vector<std::uint64_t> pending_runs();
  // nullopt for an unknown run.
  std::optional<RunStatus> run_status(std::uint64_t run_id);

  // A node with a fresh random id (never 0, nor the SuperLink's own 1), online for
  // `ping_interval` seconds.
  std::uint64_t create_node(double ping_interval);
  // False when no such node exists.
  bool delete_node(std::uint64_t node_id);
  // False when no such node exists; else the node stays online 2 * `ping_interval` longer.
  bool acknowledge_ping(std::uint64_t node_id, double ping_interval);
  // Maps `public_key` to the node, as Flower's set_node_public_key: PythonError("ValueError")
  // "Node N not found", or "Public key already in use" when another node holds it.
  void set_node_public_key(std::uint64_t node_id, const std::string& public_key);
  // The node `public_key` is mapped to; nullopt for none.
  std::optional<std::uint64_t> node_id_of_key(const std::string& public_key);

 private:
  std::mutex mutex_;  // one operation's queries at a time, like one Python call
  SqliteConnection connection_;
  std::mt19937_64 node_ids_;
};

// Gives the state as Flower's LinkStateFactory does: for `:flwr-in-memory-state:` one state shared
// by every caller (an in-memory SQLite); for any other value a new connection at each call,
// initialised at once, so a bad path or file throws in the thread that asked.
class StateFactory {
 public:
  explicit StateFactory(std::string database) : database_(std::move(database)) {}
  std::shared_ptr<LinkState> state();
  // Flower's InMemoryLinkState (`:flwr-in-memory-state:`), not its SqliteLinkState: some of their
  // log lines differ.
  bool in_memory() const;

 private:
  std::string database_;
  std::mutex mutex_;
  std::shared_ptr<LinkState> in_memory_;
};

inline constexpr const char* kInMemoryState = ":flwr-in-memory-state:";

}  // namespace superlink
