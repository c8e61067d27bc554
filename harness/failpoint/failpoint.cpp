// Placeholder so that targets can link while the runtime is written.
#include "failpoint/failpoint.h"

namespace failpoint {

Panic::Panic(std::string site, std::string message)
    : std::runtime_error("failpoint '" + site + "' panicked: " + message),
      site_(std::move(site)),
      message_(std::move(message)) {}

void declare_sites(std::vector<SiteInfo>) {}
std::vector<SiteInfo> declared_sites() { return {}; }
void configure(std::string_view) {}
void configure_one(std::string_view, std::string_view) {}
void check_actions(std::string_view, std::string_view) {}
void teardown() {}
std::vector<std::string> armed_sites() { return {}; }
bool any_probabilistic() { return false; }
void set_seed(std::uint64_t) {}
std::uint64_t seed() { return 0; }
void open_journal(const std::string&) {}
void close_journal() {}
void set_print_handler(PrintHandler) {}
void set_exit_handler(ExitHandler) {}
ScopedArm::ScopedArm(std::string_view site, std::string_view) : site_(site) {}
ScopedArm::~ScopedArm() = default;

namespace internal {
std::atomic<bool> g_any_armed{false};
std::optional<std::string> eval(std::string_view) { return std::nullopt; }
}  // namespace internal

}  // namespace failpoint
