// fake-target STEP...: a target that misbehaves on demand, for the harness's own tests. Steps
// run in order; after the last one the process exits 0.
//   exit N              exit with status N
//   signal N            die by signal N (core dumps off)
//   hang                wait forever (or until a signal held by on-signal arrives)
//   ignore-term         ignore SIGTERM from now on
//   on-signal N CODE    hold signal N from now on; a later `hang` exits with CODE when it comes
//   print out|err TEXT  one line on stdout or stderr
//   flood out|err BYTES BYTES/100 lines of 100 bytes, as fast as the pipe takes them
//   spew out|err|both SHAPE BYTES
//                       BYTES bytes of one shape, as fast as the pipe takes them (both: BYTES
//                       on each stream, interleaved): empty (newlines only), one-byte ("a\n"),
//                       no-newline ('x' without end), binary (every byte value, seeded LCG)
//   long-line BYTES     one line of BYTES bytes on stderr
//   partial TEXT        TEXT on stderr without a newline
//   children N          N grandchildren (`sleep`) that stay in the process group
//   setsid-children N   N grandchildren (`sleep`) in sessions of their own
//   mourners N MS       N grandchildren in sessions of their own that end MS ms after this
//                       process does (they wait for the end of a pipe only it holds), as a
//                       child that polls for its parent does (a 1.26 flower-superexec: 200 ms)
//   daemon N            N daemons (`sleep`) by double fork and setsid; each prints
//                       "daemon <pid>" on stdout (the pid as /proc numbers it)
//   pid                 print "pid <own pid>" on stdout, as /proc numbers it (the host's pid,
//                       also inside the run's PID namespace)
//   ready               write {"pid":..., "fleet_api_address": "127.0.0.1:1"} to the ready file
//   journal TEXT        append TEXT verbatim to $SUPERLINK_FAULT_JOURNAL
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "ready_file_writer.h"

namespace {

// Signals that on-signal holds, each with its exit code. They are blocked and taken with
// sigwaitinfo rather than caught by a handler: ThreadSanitizer defers a handler for a signal that
// lands between two intercepted calls, and one that lands just before pause() can be lost.
sigset_t g_held;
int g_exit_code_for[NSIG] = {};

[[noreturn]] void hang() {
  if (::sigisemptyset(&g_held)) {
    for (;;) ::pause();
  }
  for (;;) {
    const int sig = ::sigwaitinfo(&g_held, nullptr);
    if (sig > 0) _exit(g_exit_code_for[sig]);
  }
}

void hold_signal(const char* number, int exit_code) {
  const int sig = std::atoi(number);
  if (sig <= 0 || sig >= NSIG || sig == SIGKILL || sig == SIGSTOP) {
    std::fprintf(stderr, "fake-target: on-signal: '%s' is not a signal that can be held\n", number);
    std::exit(2);
  }
  g_exit_code_for[sig] = exit_code;
  ::sigaddset(&g_held, sig);
  ::sigprocmask(SIG_BLOCK, &g_held, nullptr);
}

void write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      _exit(120);  // the harness closed the pipe
    }
    data += written;
    size -= static_cast<std::size_t>(written);
  }
}

int stream_fd(std::string_view name) {
  return name == "out" ? STDOUT_FILENO : STDERR_FILENO;
}

void flood(int fd, std::size_t bytes) {
  std::string chunk;
  for (int i = 0; i < 640; ++i) chunk += std::string(99, static_cast<char>('a' + i % 26)) + '\n';
  bytes -= bytes % 100;
  while (bytes > 0) {
    const std::size_t n = std::min(bytes, chunk.size());
    write_all(fd, chunk.data(), n);
    bytes -= n;
  }
}

// One 64 KiB chunk of `shape`, or empty for an unknown shape.
std::string spew_chunk(std::string_view shape) {
  constexpr std::size_t kChunk = 64 * 1024;
  if (shape == "empty") return std::string(kChunk, '\n');
  if (shape == "no-newline") return std::string(kChunk, 'x');
  std::string chunk;
  if (shape == "one-byte") {
    for (std::size_t i = 0; i < kChunk / 2; ++i) chunk += "a\n";
  } else if (shape == "binary") {
    std::uint32_t state = 12345;
    for (std::size_t i = 0; i < kChunk; ++i) {
      state = state * 1103515245u + 12345u;
      chunk.push_back(static_cast<char>(state >> 24));
    }
  }
  return chunk;
}

void spew(std::string_view streams, std::string_view shape, std::size_t bytes) {
  const std::string chunk = spew_chunk(shape);
  if (chunk.empty() || (streams != "out" && streams != "err" && streams != "both")) {
    std::fprintf(stderr, "fake-target: spew: unknown stream '%.*s' or shape '%.*s'\n",
                 static_cast<int>(streams.size()), streams.data(), static_cast<int>(shape.size()),
                 shape.data());
    std::exit(2);
  }
  while (bytes > 0) {
    const std::size_t n = std::min(bytes, chunk.size());
    if (streams != "err") write_all(STDOUT_FILENO, chunk.data(), n);
    if (streams != "out") write_all(STDERR_FILENO, chunk.data(), n);
    bytes -= n;
  }
}

// `started` is a close-on-exec pipe each new process holds: its read end sees end of file once
// every one of them has exec'd (so /proc names it by its new program) or died.
void wait_until_all_exec(const int (&started)[2]) {
  ::close(started[1]);
  char byte = 0;
  ssize_t got = 0;
  while ((got = ::read(started[0], &byte, 1)) < 0 && errno == EINTR) {
  }
  if (got != 0) std::exit(123);
  ::close(started[0]);
}

// Starts `count` sleeping grandchildren and returns once each runs `sleep` (in its own session when
// `own_session`), so the harness finds them however fast this process exits.
void start_children(int count, bool own_session) {
  int started[2];
  if (::pipe2(started, O_CLOEXEC) != 0) std::exit(121);
  for (int i = 0; i < count; ++i) {
    const pid_t child = ::fork();
    if (child == 0) {
      if (own_session) ::setsid();
      ::execlp("sleep", "sleep", "1000", static_cast<char*>(nullptr));
      _exit(122);
    }
  }
  wait_until_all_exec(started);
}

// `count` children that outlive this process by `linger_ms`: each waits for the end of file on
// a pipe whose write end only this process keeps, then lingers (the poll period it imitates).
void start_mourners(int count, int linger_ms) {
  int gone[2];
  if (::pipe2(gone, O_CLOEXEC) != 0) std::exit(121);
  for (int i = 0; i < count; ++i) {
    const pid_t child = ::fork();
    if (child == 0) {
      ::setsid();  // out of the group: only this process's end ends it
      ::close(gone[1]);
      char byte = 0;
      while (::read(gone[0], &byte, 1) != 0) {
      }
      ::usleep(static_cast<useconds_t>(linger_ms) * 1000);
      _exit(0);
    }
  }
  ::close(gone[0]);
}

// A classic daemon, `count` times: fork, setsid, fork again and let the middle process exit, so
// the daemon is nobody's child. Returns once each has printed its pid and runs `sleep`.
void start_daemons(int count) {
  int started[2];
  if (::pipe2(started, O_CLOEXEC) != 0) std::exit(121);
  for (int i = 0; i < count; ++i) {
    const pid_t middle = ::fork();
    if (middle == 0) {
      ::setsid();
      if (::fork() != 0) _exit(0);
      char self[32] = {};
      if (::readlink("/proc/self", self, sizeof self - 1) <= 0) _exit(125);
      const std::string line = std::string("daemon ") + self + "\n";
      write_all(STDOUT_FILENO, line.data(), line.size());
      ::execlp("sleep", "sleep", "1000", static_cast<char*>(nullptr));
      _exit(122);
    }
    ::waitpid(middle, nullptr, 0);
  }
  wait_until_all_exec(started);
}

void append_journal(std::string_view text) {
  const char* path = std::getenv("SUPERLINK_FAULT_JOURNAL");
  if (path == nullptr) std::exit(124);
  const int fd = ::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) std::exit(125);
  write_all(fd, text.data(), text.size());
  ::close(fd);
}

}  // namespace

int main(int argc, char** argv) {
  ::sigemptyset(&g_held);
  for (int i = 1; i < argc; ++i) {
    const std::string_view step = argv[i];
    const auto arg = [&](int k) -> const char* {
      if (i + k >= argc) {
        std::fprintf(stderr, "fake-target: step '%s' needs %d argument(s)\n", argv[i], k);
        std::exit(2);
      }
      return argv[i + k];
    };
    if (step == "exit") {
      std::exit(std::atoi(arg(1)));
    } else if (step == "signal") {
      const rlimit no_core{0, 0};
      ::setrlimit(RLIMIT_CORE, &no_core);
      const int sig = std::atoi(arg(1));
      std::signal(sig, SIG_DFL);
      ::raise(sig);
      std::exit(126);
    } else if (step == "hang") {
      hang();
    } else if (step == "ignore-term") {
      std::signal(SIGTERM, SIG_IGN);
    } else if (step == "on-signal") {
      hold_signal(arg(1), std::atoi(arg(2)));
      i += 2;
    } else if (step == "print") {
      const std::string line = std::string(arg(2)) + '\n';
      write_all(stream_fd(arg(1)), line.data(), line.size());
      i += 2;
    } else if (step == "flood") {
      flood(stream_fd(arg(1)), std::strtoull(arg(2), nullptr, 10));
      i += 2;
    } else if (step == "spew") {
      spew(arg(1), arg(2), std::strtoull(arg(3), nullptr, 10));
      i += 3;
    } else if (step == "long-line") {
      const std::string line = std::string(std::strtoull(arg(1), nullptr, 10), 'x') + '\n';
      write_all(STDERR_FILENO, line.data(), line.size());
      i += 1;
    } else if (step == "partial") {
      write_all(STDERR_FILENO, arg(1), std::strlen(arg(1)));
      i += 1;
    } else if (step == "mourners") {
      start_mourners(std::atoi(arg(1)), std::atoi(arg(2)));
      i += 2;
    } else if (step == "daemon") {
      start_daemons(std::atoi(arg(1)));
      ++i;
    } else if (step == "children" || step == "setsid-children") {
      start_children(std::atoi(arg(1)), step == "setsid-children");
      i += 1;
    } else if (step == "pid") {
      char self[32] = {};
      if (::readlink("/proc/self", self, sizeof self - 1) <= 0) std::exit(125);
      std::printf("pid %s\n", self);
      std::fflush(stdout);
    } else if (step == "ready") {
      const std::string json =
          "{\"pid\": " + std::to_string(::getpid()) + ", \"fleet_api_address\": \"127.0.0.1:1\"}";
      if (!targets::write_ready_file(json)) std::exit(127);
    } else if (step == "journal") {
      append_journal(arg(1));
      i += 1;
    } else {
      std::fprintf(stderr, "fake-target: unknown step '%s'\n", argv[i]);
      return 2;
    }
  }
  return 0;
}
