// What the harness and superlink-run-init say to each other, one message per datagram on a
// SOCK_SEQPACKET socket pair (fd 3 in the run init). The run init is the parent of one run's
// target; the harness holds the only other end, so an end of file means the harness is gone.
//
//   run init -> harness   "started" + the target's pidfd (SCM_RIGHTS)
//                         "failed ERRNO"             the target could not be spawned
//                         "ended STATUS\nLEFT\n..."  the target's raw wait status, then one
//                                                    "pid N (comm)" line per process of the
//                                                    run that outlived it (all killed since)
//   harness -> run init   "run\0SETTLE_MS\0DIR\0ARGC\0ARG...\0ENV..."  (to a run init started
//                                                    with --standby, which waits for it) the
//                                                    run: the settling time, the folder to
//                                                    remove if abandoned ("" for none), the
//                                                    target's argv and its environment
//                         "signal N"                 signal N to the target's process group
//                                                    (ignored once the target has ended)
//                         "bye"                      the run is over: kill what is left, exit
//   end of file, SIGTERM (the harness's interrupt cleanup, or the parent-death signal of a run
//   init started with its command): kill every process of the run, remove the run folder if
//   one was given, exit.
// The janitor (--janitor TEMPLATE) says "folder PATH" (or "failed ERRNO") once; the harness
// may then say "remove NAME" (a run folder PATH/NAME it is done with, removed while the harness
// goes on); at the end of file the janitor removes PATH.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "unique_fd.h"

namespace harness::run_init {

constexpr int kControlFd = 3;
constexpr std::string_view kStarted = "started";
constexpr std::string_view kFailed = "failed ";
constexpr std::string_view kEnded = "ended ";
constexpr std::string_view kFolder = "folder ";
constexpr std::string_view kSignal = "signal ";
constexpr std::string_view kBye = "bye";
constexpr std::string_view kRemove = "remove ";
constexpr std::string_view kRun = std::string_view("run\0", 4);

// Sends `text` (and `fd`, if >= 0) as one message. False on failure (errno set).
bool send_message(int socket, std::string_view text, int fd = -1);

struct Message {
  std::string text;
  UniqueFd fd;  // a passed descriptor (close-on-exec), if any
};

// The next message of up to `max_bytes`; nullopt at end of file or on error (errno is 0 at end
// of file). Leftover lists are the largest messages but a run's: 64 KiB holds well over a
// thousand processes.
std::optional<Message> receive_message(int socket, std::size_t max_bytes = 64 * 1024);

}  // namespace harness::run_init
