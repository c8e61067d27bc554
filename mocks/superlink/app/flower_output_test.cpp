// The mock in Flower mode (--exit-status flower) and as the persona (build/bin/flower-superlink),
// started as real processes, against what the real flower-superlink 1.18.0 printed in each
// situation of the reference ("Measured on the real 1.18.0"). Whole stderr is compared, with
// ports, timestamps and paths normalised; colours are kept: the real one always prints them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <csignal>
#include <filesystem>

#include "superlink/testing/leased_address.h"
#include "superlink/testing/spawned_process.h"
#include "superlink/testing/taken_port.h"
#include "test_support/test_directory.h"

namespace superlink {
namespace {

using test_support::ExitInfo;
using test_support::leased_address;
using test_support::SpawnedProcess;

constexpr std::chrono::seconds kSafety{20};

// The real one's record prefixes, colours included (NO_COLOR makes no difference to it).
const std::string kInfo = "\033[92mINFO \033[0m:      ";
const std::string kWarning = "\033[93mWARNING \033[0m:   ";
const std::string kError = "\033[91mERROR \033[0m:     ";

const std::string kFirst = kInfo + "Starting Flower SuperLink\n";
const std::string kInsecure =
    kWarning +
    "Option `--insecure` was set. Starting insecure HTTP server with unencrypted communication "
    "(TLS disabled). Proceed only if you understand the risks.\n";
const std::string kExecAndServerAppIo =
    kInfo + "Flower Deployment Engine: Starting Exec API on 127.0.0.1:P\n" + kInfo +
    "Flower ECE: Starting ServerAppIo API (gRPC-rere) on 127.0.0.1:P\n";
const std::string kFleetGrpc =
    kInfo + "Flower ECE: Starting Fleet API (gRPC-rere) on 127.0.0.1:P\n";
const std::string kStartup = kFirst + kInsecure + kExecAndServerAppIo + kFleetGrpc;

const std::string kCrashBlock =
    kError +
    "Exit Code: 100\n\nAn important background thread has crashed.\n\n"
    "For more information, visit: <https://flower.ai/docs/framework/ref-exit-codes/100.html>\n";

std::string address_block(const std::string& address) {
  return kError + "Exit Code: 600\nAddress (" + address +
         ") cannot be parsed.\nPlease provide a valid URL, IPv4 or IPv6 address.\n\n"
         "For more information, visit: <https://flower.ai/docs/framework/ref-exit-codes/"
         "600.html>\n";
}

bool matches_at(const std::string& text, std::size_t at, std::string_view shape) {
  if (at + shape.size() > text.size()) return false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const char c = text[at + i];
    if (shape[i] == '0' ? !std::isdigit(static_cast<unsigned char>(c)) : c != shape[i]) {
      return false;
    }
  }
  return true;
}

// 127.0.0.1:<port> becomes 127.0.0.1:P; Python's asctime becomes TS.
std::string normalised(const std::string& text) {
  constexpr std::string_view kLoopback = "127.0.0.1:";
  constexpr std::string_view kAsctime = "0000-00-00 00:00:00,000";
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, kLoopback.size(), kLoopback) == 0 && i + kLoopback.size() < text.size() &&
        std::isdigit(static_cast<unsigned char>(text[i + kLoopback.size()]))) {
      out += std::string(kLoopback) + "P";
      i += kLoopback.size();
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    } else if (matches_at(text, i, kAsctime)) {
      out += "TS";
      i += kAsctime.size();
    } else {
      out += text[i++];
    }
  }
  return out;
}

// A loopback port that was free a moment ago (the persona refuses port 0, as 1.18 does).
using test_support::TakenPort;

std::string persona_bin() {
  return (std::filesystem::path(MOCK_SUPERLINK_BIN).parent_path() / "flower-superlink").string();
}

// Each situation runs twice: the mock with --exit-status flower, and the persona.
enum class Target { kFlowerMode, kPersona };

class FlowerOutput : public ::testing::TestWithParam<Target> {
 protected:
  bool persona() const { return GetParam() == Target::kPersona; }

  // Flower's flags only (the mode comes from --exit-status or from the persona's name); every
  // address on loopback; `addresses` overrides one of them by flag name.
  std::unique_ptr<SpawnedProcess> start(std::vector<std::string> extra,
                                        std::vector<std::string> env = {},
                                        std::map<std::string, std::string> addresses = {}) {
    std::vector<std::string> argv{persona() ? persona_bin() : MOCK_SUPERLINK_BIN, "--insecure"};
    if (!persona()) argv.insert(argv.end(), {"--exit-status", "flower"});
    for (const char* flag :
         {"--serverappio-api-address", "--exec-api-address", "--fleet-api-address"}) {
      const auto given = addresses.find(flag);
      argv.push_back(flag);
      argv.push_back(given != addresses.end() ? given->second : leased_address());
    }
    argv.insert(argv.end(), extra.begin(), extra.end());
    env.push_back("NO_COLOR=1");  // ignored, as by the real one
    env.push_back("SUPERLINK_READY_FILE=" + ready_path());
    return std::make_unique<SpawnedProcess>(argv, env);
  }

  std::string ready_path() const { return (dir_ / "ready.json").string(); }

  test_support::TestDirectory dir_{"flower_output_test"};
};

INSTANTIATE_TEST_SUITE_P(, FlowerOutput, ::testing::Values(Target::kFlowerMode, Target::kPersona),
                         [](const auto& info) {
                           return info.param == Target::kPersona ? "Persona" : "FlowerMode";
                         });

TEST_P(FlowerOutput, SchedulerPanicPrintsTheTracebackThenTheBareBlock) {
  auto process = start({}, {"FAILPOINTS=scheduler.tick=2*off->panic(database is locked)"});
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.status, 1);
  EXPECT_EQ(normalised(process->stderr_text()),
            kStartup +
                "Exception in thread Thread-4 (_flwr_scheduler):\n"
                "Traceback (most recent call last):\n"
                "  File \"/usr/lib/python3.11/threading.py\", line 1038, in _bootstrap_inner\n"
                "  File \"/usr/lib/python3.11/threading.py\", line 975, in run\n"
                "  File \"/usr/local/lib/python3.11/dist-packages/flwr/server/app.py\", line 528, "
                "in _flwr_scheduler\n"
                "RuntimeError: database is locked\n" +
                kCrashBlock);
}

TEST_P(FlowerOutput, QuietSchedulerEndPrintsNoTraceback) {
  auto process = start({}, {"FAILPOINTS=scheduler.start=return"});
  EXPECT_EQ(process->wait_exit(kSafety).status, 1);
  EXPECT_EQ(normalised(process->stderr_text()), kStartup + kCrashBlock);
}

TEST_P(FlowerOutput, BadFleetAddressExitsAfterTheExecAndServerAppIoLines) {
  auto process = start({}, {}, {{"--fleet-api-address", "127.0.0.1:99999"}});
  EXPECT_EQ(process->wait_exit(kSafety).status, 1);
  EXPECT_EQ(normalised(process->stderr_text()),
            kFirst + kInsecure + kExecAndServerAppIo + address_block("127.0.0.1:P"));
}

TEST_P(FlowerOutput, BadServerAppIoAddressExitsBeforeTheWarning) {
  auto process = start({}, {}, {{"--serverappio-api-address", "nonsense"}});
  EXPECT_EQ(process->wait_exit(kSafety).status, 1);
  EXPECT_EQ(normalised(process->stderr_text()), kFirst + address_block("nonsense"));
}

TEST_P(FlowerOutput, TakenGrpcPortPrintsTheBareLine) {
  TakenPort taken;
  auto process = start({}, {}, {{"--serverappio-api-address", taken.address}});
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.status, 1);
  EXPECT_EQ(normalised(process->stderr_text()),
            kFirst + kInsecure + kInfo +
                "Flower Deployment Engine: Starting Exec API on 127.0.0.1:P\n"
                "Port in server address 127.0.0.1:P is already in use.\n");
}

TEST_P(FlowerOutput, SigtermOnceStartedIsGracefulWithStatusZero) {
  auto process = start({});
  ASSERT_TRUE(process->wait_for_file(ready_path(), kSafety)) << process->stderr_text();
  ::kill(process->pid(), SIGTERM);
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.status, 0);
  EXPECT_EQ(normalised(process->stderr_text()),
            kStartup + kInfo + "SuperLink terminated gracefully.\n");
}

// superlink.startup=pause holds the main thread where the real one is still starting up: the
// handlers are not installed yet, so each signal takes its default action.
TEST_P(FlowerOutput, SignalsDuringStartupKillByTheSignal) {
  for (const int signo : {SIGTERM, SIGQUIT, SIGINT}) {
    auto process = start({}, {"FAILPOINTS=superlink.startup=pause"});
    ASSERT_TRUE(process->wait_for_stderr("Starting Fleet API (gRPC-rere)", 1, kSafety))
        << process->stderr_text();
    ::kill(process->pid(), signo);
    const ExitInfo exit = process->wait_exit(kSafety);
    EXPECT_FALSE(exit.exited) << strsignal(signo);
    EXPECT_EQ(exit.signal, signo) << strsignal(signo);
    const std::string interrupt =
        signo != SIGINT ? ""
                        : "Traceback (most recent call last):\n"
                          "  File \"/usr/local/bin/flower-superlink\", line 8, in <module>\n"
                          "  File \"/usr/local/lib/python3.11/dist-packages/flwr/server/app.py\", "
                          "line 312, in run_superlink\n"
                          "KeyboardInterrupt\n";
    EXPECT_EQ(normalised(process->stderr_text()), kStartup + interrupt) << strsignal(signo);
  }
}

TEST_P(FlowerOutput, DebugLevelAsTheRealOne) {
  auto process = start({}, {"FLWR_LOG_LEVEL=debug"});
  ASSERT_TRUE(process->wait_for_file(ready_path(), kSafety)) << process->stderr_text();
  ASSERT_TRUE(process->wait_for_stderr("Using InMemoryState", 1, kSafety));
  ::kill(process->pid(), SIGINT);
  EXPECT_EQ(process->wait_exit(kSafety).status, 0);
  const std::string info = "\033[92mINFO TS\033[0m:      ";
  const std::string debug = "\033[94mDEBUG TS\033[0m:     ";
  EXPECT_EQ(normalised(process->stderr_text()),
            kWarning +
                "DEBUG logs enabled. Do not use this in production, as it may expose sensitive "
                "details.\n" +
                info + "Starting Flower SuperLink\n" +
                "\033[93mWARNING TS\033[0m:   " + kInsecure.substr(kWarning.size()) + info +
                "Flower Deployment Engine: Starting Exec API on 127.0.0.1:P\n" + info +
                "Flower ECE: Starting ServerAppIo API (gRPC-rere) on 127.0.0.1:P\n" + debug +
                "Automatic node authentication enabled\n" + info +
                "Flower ECE: Starting Fleet API (gRPC-rere) on 127.0.0.1:P\n" + debug +
                "Started flwr-serverapp scheduler thread.\n" + debug + "Using InMemoryState\n" +
                info + "SuperLink terminated gracefully.\n");
}

TEST_P(FlowerOutput, UnknownLogLevelIsAnErrorRecordAndStartUpGoesOn) {
  auto process = start({"--isolation", "process"}, {"FLWR_LOG_LEVEL=chatty"});
  ASSERT_TRUE(process->wait_for_file(ready_path(), kSafety)) << process->stderr_text();
  ::kill(process->pid(), SIGTERM);
  EXPECT_EQ(process->wait_exit(kSafety).status, 0);
  EXPECT_EQ(normalised(process->stderr_text()),
            kError + "Failed to set logging level CHATTY. Using default level: INFO\n" + kStartup +
                kInfo + "SuperLink terminated gracefully.\n");
}

TEST_P(FlowerOutput, NumWorkersIsWarnedAboutForAGrpcFleetTooBeforeItsLine) {
  auto process = start({"--isolation", "process", "--fleet-api-num-workers", "3"});
  ASSERT_TRUE(process->wait_for_file(ready_path(), kSafety)) << process->stderr_text();
  ::kill(process->pid(), SIGTERM);
  EXPECT_EQ(process->wait_exit(kSafety).status, 0);
  EXPECT_EQ(normalised(process->stderr_text()),
            kFirst + kInsecure + kExecAndServerAppIo + kWarning +
                "The Fleet API currently supports only 1 worker. You have specified 3 workers. "
                "Support for multiple workers will be added in future releases. Proceeding with "
                "a single worker.\n" +
                kFleetGrpc + kInfo + "SuperLink terminated gracefully.\n");
}

// The REST thread's own lines (uvicorn's) are the REST server's; the start-up adds none.
TEST_P(FlowerOutput, RestFleetApiHasNoStartingFleetApiLine) {
  auto process = start({"--isolation", "process", "--fleet-api-type", "rest"});
  ASSERT_TRUE(process->wait_for_file(ready_path(), kSafety)) << process->stderr_text();
  ::kill(process->pid(), SIGTERM);
  EXPECT_EQ(process->wait_exit(kSafety).status, 0);
  EXPECT_THAT(process->stderr_text(), ::testing::HasSubstr("Starting Flower REST server\n"));
  EXPECT_THAT(process->stderr_text(), ::testing::Not(::testing::HasSubstr("Starting Fleet API")));
}

// The persona alone: what only it refuses.

using Persona = FlowerOutput;
INSTANTIATE_TEST_SUITE_P(, Persona, ::testing::Values(Target::kPersona),
                         [](const auto&) { return "Persona"; });

TEST_P(Persona, PortZeroIsRefusedAsIn118) {
  auto process = start({}, {}, {{"--fleet-api-address", "127.0.0.1:0"}});
  EXPECT_EQ(process->wait_exit(kSafety).status, 1);
  EXPECT_EQ(normalised(process->stderr_text()),
            kFirst + kInsecure + kExecAndServerAppIo + address_block("127.0.0.1:P"));
  EXPECT_THAT(process->stderr_text(), ::testing::HasSubstr("\nAddress (127.0.0.1:0) cannot"));
}

TEST_P(Persona, AMockOnlyFlagIsAnUnrecognizedArgument) {
  auto process = start({"--ready-file", "x"});
  const ExitInfo exit = process->wait_exit(kSafety);
  EXPECT_EQ(exit.status, 2);
  const std::string text = process->stderr_text();
  EXPECT_THAT(text, ::testing::StartsWith(
                        "usage: flower-superlink [-h] [--insecure] [--flwr-dir FLWR_DIR]\n"));
  EXPECT_THAT(text, ::testing::EndsWith(
                        "\nflower-superlink: error: unrecognized arguments: --ready-file x\n"));
  EXPECT_THAT(text, ::testing::Not(::testing::HasSubstr("Starting Flower SuperLink")));
}

TEST_P(Persona, FlwrDirIsAcceptedAndWarnedAboutAsUnused) {
  auto process = start({"--isolation", "process", "--flwr-dir", "/tmp/flwr"});
  ASSERT_TRUE(process->wait_for_file(ready_path(), kSafety)) << process->stderr_text();
  ::kill(process->pid(), SIGTERM);
  EXPECT_EQ(process->wait_exit(kSafety).status, 0);
  EXPECT_EQ(normalised(process->stderr_text()),
            kFirst + kWarning +
                "The `--flwr-dir` option is currently not in use and will be ignored.\n" +
                kInsecure + kExecAndServerAppIo + kFleetGrpc + kInfo +
                "SuperLink terminated gracefully.\n");
}

}  // namespace
}  // namespace superlink
