// libFuzzer target for the failpoint grammar: arbitrary text goes to check_actions (one site's
// actions) and to configure (a whole FAILPOINTS value). The only failure allowed is SpecError
// with a message; anything else (another exception, a crash, a sanitizer report) is a finding.
// Built with -DSUPERLINK_FUZZ=ON by clang (see docs/robustness.md).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

#include "failpoint/failpoint.h"

namespace {

template <typename Call>
void expect_only_spec_errors(const char* what, Call call) {
  try {
    call();
  } catch (const failpoint::SpecError& e) {
    if (std::string_view(e.what()).empty()) {
      std::fprintf(stderr, "%s: SpecError with an empty message\n", what);
      std::abort();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: unexpected exception: %s\n", what, e.what());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  static const bool declared = [] {
    failpoint::declare_sites({{"scheduler.tick", "fuzz"}, {"rest.request", "fuzz"}, {"a", "fuzz"}});
    return true;
  }();
  static_cast<void>(declared);

  expect_only_spec_errors("check_actions", [&] { failpoint::check_actions("a", input); });
  expect_only_spec_errors("configure", [&] { failpoint::configure(input); });
  // configure only arms; nothing evaluates a site here, so no task (pause, exit, ...) runs.
  failpoint::teardown();
  return 0;
}
