// failpoint_crash_helper JOURNAL SPEC SITE: opens the journal, arms SPEC, prints "armed" on
// stdout (buffered, not flushed), names its thread "crasher" and hits SITE once. The journal
// tests run it to see that an `abort`, `segv` or `exit(N)` firing still leaves its line.
#include <pthread.h>

#include <cstdio>

#include "failpoint/failpoint.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s JOURNAL SPEC SITE\n", argv[0]);
    return 2;
  }
  pthread_setname_np(pthread_self(), "crasher");
  failpoint::open_journal(argv[1]);
  failpoint::configure(argv[2]);
  std::printf("armed\n");
  const auto result = FAILPOINT(argv[3]);
  std::printf("survived%s\n", result ? " with a return" : "");
  return 0;
}
