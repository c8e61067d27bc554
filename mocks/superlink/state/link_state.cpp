#include "superlink/state/link_state.h"

#include <chrono>
#include <ctime>

#include "superlink/flower/python_error.h"

namespace superlink {
namespace {

constexpr std::uint64_t kSuperlinkNodeId = 1;  // Flower's SUPERLINK_NODE_ID
constexpr double kPingPatience = 2;            // Flower's PING_PATIENCE

// The tables and index of Flower 1.18's SQLite state, with the same names and columns, so that a
// tool (or a test) that reads the real one's file reads ours.
constexpr const char* kSchema[] = {
    "CREATE TABLE IF NOT EXISTS run(run_id INTEGER UNIQUE, fab_id TEXT, fab_version TEXT, "
    "fab_hash TEXT, override_config TEXT, pending_at TEXT, starting_at TEXT, running_at TEXT, "
    "finished_at TEXT, sub_status TEXT, details TEXT, federation_options BLOB);",
    "CREATE TABLE IF NOT EXISTS logs(timestamp REAL, run_id INTEGER, node_id INTEGER, log TEXT, "
    "PRIMARY KEY (timestamp, run_id, node_id), FOREIGN KEY (run_id) REFERENCES run(run_id));",
    "CREATE TABLE IF NOT EXISTS context(run_id INTEGER UNIQUE, context BLOB, "
    "FOREIGN KEY(run_id) REFERENCES run(run_id));",
    "CREATE TABLE IF NOT EXISTS message_ins(message_id TEXT UNIQUE, group_id TEXT, "
    "run_id INTEGER, src_node_id INTEGER, dst_node_id INTEGER, reply_to_message_id TEXT, "
    "created_at REAL, delivered_at TEXT, ttl REAL, message_type TEXT, content BLOB NULL, "
    "error BLOB NULL, FOREIGN KEY(run_id) REFERENCES run(run_id));",
    "CREATE TABLE IF NOT EXISTS message_res(message_id TEXT UNIQUE, group_id TEXT, "
    "run_id INTEGER, src_node_id INTEGER, dst_node_id INTEGER, reply_to_message_id TEXT, "
    "created_at REAL, delivered_at TEXT, ttl REAL, message_type TEXT, content BLOB NULL, "
    "error BLOB NULL, FOREIGN KEY(run_id) REFERENCES run(run_id));",
    "CREATE TABLE IF NOT EXISTS node(node_id INTEGER UNIQUE, online_until REAL, "
    "ping_interval REAL, public_key BLOB);",
    "CREATE TABLE IF NOT EXISTS public_key(public_key BLOB PRIMARY KEY);",
    "CREATE INDEX IF NOT EXISTS idx_online_until ON node (online_until);",
};

// Flower stores uint64 ids in SQLite's signed 64-bit integers, bit for bit.
std::int64_t to_sql(std::uint64_t id) {
  return static_cast<std::int64_t>(id);
}
std::uint64_t from_sql(const SqlValue& value) {
  return static_cast<std::uint64_t>(std::get<std::int64_t>(value));
}

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Python's datetime.now(timezone.utc).isoformat(), to the microsecond.
std::string iso_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch() %
                                                                            std::chrono::seconds(1))
                          .count();
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  char fraction[32];
  std::snprintf(fraction, sizeof fraction, ".%06lld+00:00", static_cast<long long>(micros));
  return std::string(text) + fraction;
}

std::string text_of(const SqlValue& value) {
  const auto* text = std::get_if<std::string>(&value);
  return text ? *text : std::string();
}

}  // namespace

LinkState::LinkState(const std::string& path, std::chrono::milliseconds busy_timeout)
    : connection_(path, busy_timeout), node_ids_(std::random_device{}()) {
  connection_.query("PRAGMA foreign_keys = ON;");
  // One transaction: the file holds a database (SQLite's magic on page 1) only once the whole
  // schema is in, as the harness's outside faults wait for (they act between transactions).
  connection_.query("BEGIN;");
  for (const char* statement : kSchema) connection_.query(statement);
  connection_.query("COMMIT;");
}

void LinkState::add_pending_runs(int count) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < count; ++i) {
    connection_.query(
        "INSERT INTO run (run_id, fab_id, fab_version, fab_hash, override_config, "
        "federation_options, pending_at, starting_at, running_at, finished_at, sub_status, "
        "details) VALUES ((SELECT IFNULL(MAX(run_id), 0) + 1 FROM run), '', '', '', '{}', "
        "x'', ?, '', '', '', '', '');",
        {iso_now()});
  }
}

std::vector<std::uint64_t> LinkState::pending_runs() {
  std::lock_guard lock(mutex_);
  std::vector<std::uint64_t> ids;
  for (const auto& row :
       connection_.query("SELECT run_id FROM run WHERE starting_at = '' ORDER BY run_id;")) {
    ids.push_back(from_sql(row[0]));
  }
  return ids;
}

std::optional<RunStatus> LinkState::run_status(std::uint64_t run_id) {
  std::lock_guard lock(mutex_);
  const auto rows = connection_.query(
      "SELECT starting_at, running_at, finished_at FROM run WHERE run_id = ?;", {to_sql(run_id)});
  if (rows.empty()) return std::nullopt;
  if (text_of(rows[0][0]).empty()) return RunStatus::kPending;
  if (text_of(rows[0][1]).empty()) return RunStatus::kStarting;
  if (text_of(rows[0][2]).empty()) return RunStatus::kRunning;
  return RunStatus::kFinished;
}

std::uint64_t LinkState::create_node(double ping_interval) {
  std::lock_guard lock(mutex_);
  std::uint64_t id = 0;
  while (id == 0 || id == kSuperlinkNodeId) id = node_ids_();
  connection_.query(
      "INSERT INTO node (node_id, online_until, ping_interval, public_key) VALUES (?, ?, ?, x'');",
      {to_sql(id), unix_now() + ping_interval, ping_interval});
  return id;
}

bool LinkState::delete_node(std::uint64_t node_id) {
  std::lock_guard lock(mutex_);
  connection_.query("DELETE FROM node WHERE node_id = ?;", {to_sql(node_id)});
  return connection_.changes() > 0;
}

bool LinkState::acknowledge_ping(std::uint64_t node_id, double ping_interval) {
  std::lock_guard lock(mutex_);
  if (connection_.query("SELECT 1 FROM node WHERE node_id = ?;", {to_sql(node_id)}).empty()) {
    return false;
  }
  connection_.query("UPDATE node SET online_until = ?, ping_interval = ? WHERE node_id = ?;",
                    {unix_now() + kPingPatience * ping_interval, ping_interval, to_sql(node_id)});
  return true;
}

void LinkState::set_node_public_key(std::uint64_t node_id, const std::string& public_key) {
  std::lock_guard lock(mutex_);
  if (connection_.query("SELECT 1 FROM node WHERE node_id = ?;", {to_sql(node_id)}).empty()) {
    throw PythonError("ValueError", "Node " + std::to_string(node_id) + " not found");
  }
  if (!connection_.query("SELECT 1 FROM node WHERE public_key = CAST(? AS BLOB);", {public_key})
           .empty()) {
    throw PythonError("ValueError", "Public key already in use");
  }
  connection_.query("UPDATE node SET public_key = CAST(? AS BLOB) WHERE node_id = ?;",
                    {public_key, to_sql(node_id)});
}

std::optional<std::uint64_t> LinkState::node_id_of_key(const std::string& public_key) {
  std::lock_guard lock(mutex_);
  const auto rows = connection_.query(
      "SELECT node_id FROM node WHERE public_key = CAST(? AS BLOB);", {public_key});
  if (rows.empty()) return std::nullopt;
  return static_cast<std::uint64_t>(std::get<std::int64_t>(rows[0][0]));
}

bool StateFactory::in_memory() const {
  return database_ == kInMemoryState;
}

std::shared_ptr<LinkState> StateFactory::state() {
  if (database_ != kInMemoryState) return std::make_shared<LinkState>(database_);
  std::lock_guard lock(mutex_);
  if (!in_memory_) in_memory_ = std::make_shared<LinkState>(":memory:");
  return in_memory_;
}

}  // namespace superlink
