// The scenario parser under 20,000 seeded random inputs (the CI counterpart of
// scenario_loader_fuzz.cpp, which needs clang): the catalogue's own files mutated byte by byte
// and line by line, and TOML generated from the format's keys. Every input either loads or is
// rejected with a ScenarioError that names the file and has a message; never another exception.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "harness/scenario_loader.h"

namespace harness {
namespace {

constexpr std::uint64_t kSeed = 20240602;
constexpr int kInputs = 20000;
constexpr std::string_view kFile = "random/input.toml";

const std::vector<std::string> kLines = {"description = \"x\"",
                                         "labels = [\"a\", \"b\"]",
                                         "timeout_ms = 10000",
                                         "timeout_ms = -1",
                                         "timeout_ms = 1e400",
                                         "seed = 18446744073709551616",
                                         "[superlink]",
                                         "isolation = \"subprocess\"",
                                         "fleet_api_type = \"rest\"",
                                         "command = []",
                                         "command = [\"sh\", 3]",
                                         "args = [\"--x\"]",
                                         "env = { A = \"1\" }",
                                         "ready_file = false",
                                         "[failpoints]",
                                         "\"scheduler.tick\" = \"2*off->panic(x)\"",
                                         "\"rest.request\" = \"200%return\"",
                                         "[setup]",
                                         "occupy = [\"fleet\", \"nope\"]",
                                         "[[events]]",
                                         "at = \"ready+250ms\"",
                                         "at = \"ready+ms\"",
                                         "at = \"fired:rest.start\"",
                                         "request = \"create-node\"",
                                         "signal = \"SIGTERM\"",
                                         "signal = \"SIGNOPE\"",
                                         "count = 0",
                                         "count = 3",
                                         "headers = { accept = \"\" }",
                                         "expect_status = 200",
                                         "[expect]",
                                         "exit_code = 100",
                                         "exit_code = \"100\"",
                                         "signal = \"SIGABRT\"",
                                         "still_running = true",
                                         "within_ms = 500",
                                         "stderr = ['Exit Code: 100', '(']",
                                         "stderr_not = ['terminated']",
                                         "fired = [\"x\"]",
                                         "negative_message = \"m\"",
                                         "[[expect.stderr]]",
                                         "a.b.c = 1",
                                         "[a]",
                                         "[[a]]",
                                         "x = ",
                                         "= 1",
                                         "\"\\u0000\" = 1",
                                         "k = \"\\uD800\"",
                                         "k = 'unterminated",
                                         "k = [[[[[[[[[[1]]]]]]]]]]",
                                         "k = {{"};

std::vector<std::string> catalogue() {
  std::vector<std::string> texts;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(SCENARIOS_DIR)) {
    if (entry.path().extension() != ".toml") continue;
    std::ifstream in(entry.path());
    std::ostringstream text;
    text << in.rdbuf();
    texts.push_back(text.str());
  }
  return texts;
}

class ScenarioLoaderRandom : public ::testing::Test {
 protected:
  std::size_t pick(std::size_t size) {
    return std::uniform_int_distribution<std::size_t>(0, size - 1)(rng_);
  }

  std::string mutated_bytes(std::string text) {
    const int edits = std::uniform_int_distribution<int>(1, 8)(rng_);
    for (int i = 0; i < edits && !text.empty(); ++i) {
      const std::size_t at = pick(text.size());
      const char byte = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng_));
      switch (pick(4)) {
        case 0:
          text.insert(at, 1, byte);
          break;
        case 1:
          text.erase(at, 1 + pick(16));
          break;
        case 2:
          text[at] = byte;
          break;
        default:
          text.insert(at, text.substr(pick(text.size()), pick(32)));
          break;
      }
    }
    return text;
  }

  std::string generated() {
    std::string text;
    const int lines = std::uniform_int_distribution<int>(0, 14)(rng_);
    for (int i = 0; i < lines; ++i) text += kLines[pick(kLines.size())] + "\n";
    return text;
  }

  std::mt19937_64 rng_{kSeed};
};

TEST_F(ScenarioLoaderRandom, TheCatalogueLoadsAsItIs) {
  const std::vector<std::string> texts = catalogue();
  ASSERT_GT(texts.size(), 50u);
  for (const std::string& text : texts) EXPECT_NO_THROW(load_scenario_text(text, kFile)) << text;
}

TEST_F(ScenarioLoaderRandom, EveryInputLoadsOrGetsItsScenarioError) {
  const std::vector<std::string> texts = catalogue();
  ASSERT_FALSE(texts.empty());
  int loaded = 0;
  int rejected = 0;
  int other = 0;
  for (int i = 0; i < kInputs && other == 0; ++i) {
    std::string input;
    switch (i % 3) {
      case 0:
        input = mutated_bytes(texts[pick(texts.size())]);
        break;
      case 1:
        input = generated();
        break;
      default:
        input = texts[pick(texts.size())] + generated();
        break;
    }
    try {
      load_scenario_text(input, kFile);
      ++loaded;
    } catch (const ScenarioError& e) {
      ++rejected;
      EXPECT_FALSE(e.message().empty()) << "empty message for:\n" << input;
      EXPECT_EQ(e.file(), kFile);
      EXPECT_EQ(std::string_view(e.what()).substr(0, kFile.size()), kFile);
    } catch (const std::exception& e) {
      ++other;
      ADD_FAILURE() << "another exception (" << e.what() << ") for:\n" << input;
    }
  }
  EXPECT_GT(loaded, kInputs / 50);
  EXPECT_GT(rejected, kInputs / 5);
}

}  // namespace
}  // namespace harness
