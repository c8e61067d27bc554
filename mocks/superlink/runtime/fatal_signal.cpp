#include "superlink/runtime/fatal_signal.h"

#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <string>

#include "superlink/flower/flower_log.h"

namespace superlink {
namespace {

// Filled before any handler is installed; the handler only reads it.
char g_prefix[64];

const char* signal_name(int signo) {
  switch (signo) {
    case SIGSEGV:
      return "SIGSEGV";
    case SIGABRT:
      return "SIGABRT";
    case SIGBUS:
      return "SIGBUS";
    case SIGFPE:
      return "SIGFPE";
    default:
      return "SIGILL";
  }
}

void append(char* line, std::size_t& used, std::size_t capacity, const char* text) {
  for (; *text != '\0' && used + 1 < capacity; ++text) line[used++] = *text;
}

// Async-signal-safe only: no allocation, no locks, one write(2).
void on_fatal_signal(int signo) {
  char thread[17] = {};
  prctl(PR_GET_NAME, thread, 0, 0, 0);
  char line[160];
  std::size_t used = 0;
  append(line, used, sizeof line, g_prefix);
  append(line, used, sizeof line, "Fatal signal ");
  append(line, used, sizeof line, signal_name(signo));
  append(line, used, sizeof line, " in thread '");
  append(line, used, sizeof line, thread);
  append(line, used, sizeof line, "'\n");
  [[maybe_unused]] const ssize_t written = ::write(2, line, used);
  std::signal(signo, SIG_DFL);
  ::raise(signo);
}

}  // namespace

void install_fatal_signal_handlers(bool colour) {
  const std::string prefix = level_prefix(spdlog::level::err, colour);
  std::strncpy(g_prefix, prefix.c_str(), sizeof g_prefix - 1);
  struct sigaction action {};
  action.sa_handler = on_fatal_signal;
  sigemptyset(&action.sa_mask);
  // SA_RESETHAND too, so a fault inside the handler ends the process by the default action.
  action.sa_flags = SA_RESETHAND | SA_NODEFER;
  for (int signo : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL}) sigaction(signo, &action, nullptr);
}

}  // namespace superlink
