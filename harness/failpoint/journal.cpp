#include "journal.h"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <shared_mutex>
#include <system_error>

#include "failpoint/failpoint.h"
#include "json_string.h"

namespace failpoint {
namespace {

struct Journal {
  std::shared_mutex mu;  // writers of lines share it; open/close take it alone
  int fd = -1;
};

Journal& journal() {
  static auto* j = new Journal;  // never destroyed: threads may fire while the process exits
  return *j;
}

}  // namespace

void open_journal(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw std::system_error(errno, std::generic_category(), "failpoint journal '" + path + "'");
  }
  auto& j = journal();
  std::unique_lock lock(j.mu);
  if (j.fd >= 0) ::close(j.fd);
  j.fd = fd;
}

void close_journal() {
  auto& j = journal();
  std::unique_lock lock(j.mu);
  if (j.fd >= 0) ::close(j.fd);
  j.fd = -1;
}

namespace internal {

std::string journal_line(std::uint64_t hit, std::string_view site, std::string_view task,
                         std::string_view arg, std::string_view thread, std::uint64_t seed,
                         std::uint64_t mono_ns, long pid, std::optional<bool> parked) {
  std::string line;
  line.reserve(160 + site.size() + arg.size());
  line += "{\"hit\":" + std::to_string(hit);
  line += ",\"site\":";
  append_json_string(line, site);
  line += ",\"task\":";
  append_json_string(line, task);
  line += ",\"arg\":";
  append_json_string(line, arg);
  line += ",\"thread\":";
  append_json_string(line, thread);
  line += ",\"seed\":" + std::to_string(seed);
  line += ",\"mono_ns\":" + std::to_string(mono_ns);
  line += ",\"pid\":" + std::to_string(pid);
  if (parked) line += *parked ? ",\"parked\":true" : ",\"parked\":false";
  line += "}\n";
  return line;
}

void journal_firing(std::uint64_t hit, std::string_view site, std::string_view task,
                    std::string_view arg, std::optional<bool> parked) noexcept {
  try {
    auto& j = journal();
    std::shared_lock lock(j.mu);
    if (j.fd < 0) return;
    char thread[32] = "";
    if (pthread_getname_np(pthread_self(), thread, sizeof thread) != 0) thread[0] = '\0';
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    const auto mono_ns = static_cast<std::uint64_t>(now.tv_sec) * 1'000'000'000ULL +
                         static_cast<std::uint64_t>(now.tv_nsec);
    const std::string line =
        journal_line(hit, site, task, arg, thread, failpoint::seed(), mono_ns, ::getpid(), parked);
    ssize_t n;
    do {
      n = ::write(j.fd, line.data(), line.size());
    } while (n < 0 && errno == EINTR);
  } catch (...) {
    // Out of memory while formatting: the firing goes on without its line.
  }
}

}  // namespace internal
}  // namespace failpoint
