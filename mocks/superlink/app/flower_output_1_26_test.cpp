// The mock as Flower 1.26.1 (--flower-version 1.26 with --exit-status flower, and the persona with
// SUPERLINK_FLOWER_VERSION=1.26), situation by situation, against what 1.26.1's source prints.
// Whole stderr is compared, ports normalised. The source read for each is named above the test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <csignal>
#include <filesystem>
#include <map>
#include <memory>

#include "superlink/testing/leased_address.h"
#include "superlink/testing/spawned_process.h"
#include "test_support/test_directory.h"

namespace superlink {
namespace {

using test_support::ExitInfo;
using test_support::leased_address;
using test_support::SpawnedProcess;

constexpr std::chrono::seconds kSafety{20};

const std::string kInfo = "\033[92mINFO \033[0m:      ";
const std::string kWarning = "\033[93mWARNING \033[0m:   ";
const std::string kError = "\033[91mERROR \033[0m:     ";

const std::string kFirst = kInfo + "Starting Flower SuperLink\n";
const std::string kInsecure =
    kWarning +
    "Option `--insecure` was set. Starting insecure HTTP server with unencrypted communication "
    "(TLS disabled). Proceed only if you understand the risks.\n";
// Measured on the real 1.26.1: without --enable-supernode-auth, after the --insecure warning.
const std::string kAuthDisabled =
    kWarning +
    "SuperNode authentication is disabled. The SuperLink will accept connections from any "
    "SuperNode.\n";
const std::string kDeprecated =
    kWarning +
    "The `--exec-api-address` argument is deprecated and will be removed in a future release. "
    "Use `--control-api-address` instead.\n";
const std::string kApis =
    kInfo + "Flower Deployment Runtime: Starting Control API on 127.0.0.1:P\n" + kInfo +
    "Flower Deployment Runtime: Starting ServerAppIo API on 127.0.0.1:P\n" + kInfo +
    "Flower Deployment Runtime: Starting Fleet API (gRPC-rere) on 127.0.0.1:P\n";
const std::string kGraceful = kInfo + "SuperLink terminated gracefully.\n";

std::string block(int code, const std::string& message, const std::string& help) {
  return kError + "Exit Code: " + std::to_string(code) + "\n" + message + "\n" + help +
         "\n\nFor more information, visit: <https://flower.ai/docs/framework/v1.26.1/en/"
         "ref-exit-codes/" +
         std::to_string(code) + ".html>\n";
}
const std::string kInvalidArgsHelp =
    "Invalid arguments provided to SuperLink. Use `--help` check for the correct usage. "
    "Alternatively, check the documentation.";

// 127.0.0.1:<port> becomes 127.0.0.1:P.
std::string normalised(const std::string& text) {
  constexpr std::string_view kLoopback = "127.0.0.1:";
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, kLoopback.size(), kLoopback) == 0 && i + kLoopback.size() < text.size() &&
        std::isdigit(static_cast<unsigned char>(text[i + kLoopback.size()]))) {
      out += std::string(kLoopback) + "P";
      i += kLoopback.size();
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    } else {
      out += text[i++];
    }
  }
  return out;
}

enum class Target { kFlowerMode, kPersona };

class FlowerOutput126 : public ::testing::TestWithParam<Target> {
 protected:
  bool persona() const { return GetParam() == Target::kPersona; }

  // Isolation process (no superexec child), every address on loopback; `addresses` sets the
  // API flags (default: --control-api-address, --serverappio-api-address, --fleet-api-address).
  std::unique_ptr<SpawnedProcess> start(std::map<std::string, std::string> addresses = {}) {
    const std::string bin =
        persona() ? (std::filesystem::path(MOCK_SUPERLINK_BIN).parent_path() / "flower-superlink")
                        .string()
                  : MOCK_SUPERLINK_BIN;
    std::vector<std::string> argv{bin, "--insecure", "--isolation", "process"};
    if (!persona())
      argv.insert(argv.end(), {"--exit-status", "flower", "--flower-version", "1.26"});
    if (addresses.empty()) {
      addresses = {{"--control-api-address", leased_address()},
                   {"--serverappio-api-address", leased_address()},
                   {"--fleet-api-address", leased_address()}};
    }
    for (const auto& [flag, address] : addresses) argv.insert(argv.end(), {flag, address});
    std::vector<std::string> env{"NO_COLOR=1", "SUPERLINK_READY_FILE=" + ready_path()};
    if (persona()) env.push_back("SUPERLINK_FLOWER_VERSION=1.26");
    return std::make_unique<SpawnedProcess>(argv, env);
  }

  // Written once the signal handlers are in: a signal before that takes its default action.
  std::string ready_path() const { return (dir_ / "ready.json").string(); }

  test_support::TestDirectory dir_{"flower_output_1_26_test"};
};

INSTANTIATE_TEST_SUITE_P(, FlowerOutput126,
                         ::testing::Values(Target::kFlowerMode, Target::kPersona),
                         [](const auto& info) {
                           return info.param == Target::kPersona ? "Persona" : "FlowerMode";
                         });

// server/app.py run_superlink (Control API, ServerAppIo, Fleet in that order), control_grpc.py
// run_control_api_grpc, serverappio_grpc.py run_serverappio_api_grpc, _run_fleet_api_grpc_rere;
// then register_signal_handlers' exit_message for SIGTERM (exit code 3, status 0).
TEST_P(FlowerOutput126, StartupLinesThenGracefulSigterm) {
  auto process = start();
  ASSERT_TRUE(process->wait_for_file(ready_path(), kSafety));
  ::kill(process->pid(), SIGTERM);
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.status, 0);
  EXPECT_EQ(normalised(process->stderr_text()),
            kFirst + kInsecure + kAuthDisabled + kApis + kGraceful);
}

// run_superlink: `--exec-api-address` alone is warned about (before the certificates' warning)
// and becomes the Control API's address.
TEST_P(FlowerOutput126, ExecApiAddressAloneIsWarnedAboutAndUsed) {
  auto process = start({{"--exec-api-address", leased_address()},
                        {"--serverappio-api-address", leased_address()},
                        {"--fleet-api-address", leased_address()}});
  ASSERT_TRUE(process->wait_for_file(ready_path(), kSafety));
  ::kill(process->pid(), SIGTERM);
  EXPECT_EQ(process->wait_exit(kSafety).status, 0);
  EXPECT_EQ(normalised(process->stderr_text()),
            kFirst + kDeprecated + kInsecure + kAuthDisabled + kApis + kGraceful);
}

// run_superlink: both flags explicitly on the command line is SUPERLINK_INVALID_ARGS.
TEST_P(FlowerOutput126, BothApiFlagsExit104) {
  auto process = start({{"--exec-api-address", leased_address()},
                        {"--control-api-address", leased_address()},
                        {"--fleet-api-address", leased_address()}});
  EXPECT_EQ(process->wait_exit(kSafety).status, 1);
  EXPECT_EQ(normalised(process->stderr_text()),
            kFirst + block(104,
                           "Both `--control-api-address` and `--exec-api-address` are set. "
                           "Please use only `--control-api-address` as `--exec-api-address` is "
                           "deprecated.",
                           kInvalidArgsHelp));
}

// supercore/address.py parse_address: port < 1 is invalid; server/app.py _format_address exits
// COMMON_ADDRESS_INVALID. The persona refuses it (the mock's own mode takes 0 as "any port").
TEST_P(FlowerOutput126, PersonaRefusesPortZero) {
  if (!persona()) GTEST_SKIP() << "the mock's own mode takes port 0";
  auto process = start({{"--control-api-address", leased_address()},
                        {"--serverappio-api-address", "127.0.0.1:0"},
                        {"--fleet-api-address", leased_address()}});
  EXPECT_EQ(process->wait_exit(kSafety).status, 1);
  EXPECT_EQ(normalised(process->stderr_text()),
            kFirst + block(600, "Address (127.0.0.1:P) cannot be parsed.",
                           "Please provide a valid URL, IPv4 or IPv6 address."));
}

// Arming a 1.18-only site on 1.26 is refused before anything starts, naming both versions.
TEST(FlowerVersion126, SchedulerSiteIsRefusedNamingTheVersion) {
  SpawnedProcess process({MOCK_SUPERLINK_BIN, "--insecure", "--flower-version", "1.26",
                          "--failpoint", "scheduler.tick=panic"},
                         {"NO_COLOR=1"});
  const ExitInfo exit = process.wait_exit(kSafety);
  EXPECT_EQ(exit.status, 104);
  EXPECT_THAT(process.stderr_text(),
              ::testing::HasSubstr("failpoint 'scheduler.tick' exists in Flower 1.18 only; "
                                   "this SuperLink imitates Flower 1.26"));
}

TEST(FlowerVersion126, UnknownVersionExits104NamingTheKnownOnes) {
  SpawnedProcess process({MOCK_SUPERLINK_BIN, "--flower-version", "1.99"}, {"NO_COLOR=1"});
  EXPECT_EQ(process.wait_exit(kSafety).status, 104);
  EXPECT_THAT(process.stderr_text(),
              ::testing::HasSubstr("Unknown Flower version '1.99' (--flower-version or "
                                   "SUPERLINK_FLOWER_VERSION); known versions: 1.18, 1.26"));
}

}  // namespace
}  // namespace superlink
