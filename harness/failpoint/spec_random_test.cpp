// The failpoint grammar under 20,000 seeded random inputs (the CI counterpart of spec_fuzz.cpp,
// which needs clang): generated from the grammar's own pieces and mutated from valid specs.
// Every input is either accepted or rejected with a SpecError that has a message; never another
// exception. check_actions and configure_one must agree, message for message.
#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "test_support.h"

namespace failpoint {
namespace {

constexpr std::uint64_t kSeed = 20240601;
constexpr int kInputs = 20000;

const std::vector<std::string> kPieces = {
    "off",   "return", "sleep", "panic", "print", "pause", "yield",
    "delay", "abort",  "segv",  "exit",  "(",     ")",     "->",
    "%",     "*",      ";",     "=",     " ",     "\t",    "0",
    "1",     "3",      "100",   "101",   "50.5",  "-1",    "99999999999999999999",
    "boom",  "a.b",    "\xff",  "\0",    "()",    "(x",    ")(",
    "->->",  "%%",     "**"};

const std::vector<std::string> kValid = {"panic",
                                         "3*off->panic(boom)",
                                         "20%return",
                                         "return(503)",
                                         "50%3*sleep(10)->delay(5)",
                                         "print(hi)->pause->yield",
                                         "exit(7)",
                                         "1*off->return",
                                         "100%panic(database is locked)"};

class SpecRandom : public test_support::FailpointTest {
 protected:
  std::string generated() {
    std::string text;
    const int count = std::uniform_int_distribution<int>(0, 12)(rng_);
    for (int i = 0; i < count; ++i) {
      text += kPieces[std::uniform_int_distribution<std::size_t>(0, kPieces.size() - 1)(rng_)];
    }
    return text;
  }

  std::string mutated() {
    std::string text =
        kValid[std::uniform_int_distribution<std::size_t>(0, kValid.size() - 1)(rng_)];
    const int edits = std::uniform_int_distribution<int>(1, 4)(rng_);
    for (int i = 0; i < edits; ++i) {
      const std::size_t at = std::uniform_int_distribution<std::size_t>(0, text.size())(rng_);
      const char byte = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng_));
      switch (std::uniform_int_distribution<int>(0, 2)(rng_)) {
        case 0:
          text.insert(at, 1, byte);
          break;
        case 1:
          if (at < text.size()) text.erase(at, 1);
          break;
        default:
          if (at < text.size()) text[at] = byte;
          break;
      }
    }
    return text;
  }

  std::mt19937_64 rng_{kSeed};
};

// What a call did: empty when it accepted, the message when it threw SpecError.
template <typename Call>
std::optional<std::string> outcome(Call call, const std::string& input, int& other_exceptions) {
  try {
    call();
    return std::nullopt;
  } catch (const SpecError& e) {
    return std::string(e.what());
  } catch (const std::exception& e) {
    ADD_FAILURE() << "input '" << input << "' threw another exception: " << e.what();
    ++other_exceptions;
    return std::string("other");
  }
}

TEST_F(SpecRandom, EveryInputIsAcceptedOrGetsItsSpecError) {
  int accepted = 0;
  int rejected = 0;
  int other = 0;
  for (int i = 0; i < kInputs && other == 0; ++i) {
    const std::string actions = i % 2 == 0 ? generated() : mutated();
    const auto checked = outcome([&] { check_actions("a", actions); }, actions, other);
    const auto armed = outcome([&] { configure_one("a", actions); }, actions, other);
    teardown();
    EXPECT_EQ(checked, armed) << "check_actions and configure_one disagree on '" << actions << "'";
    if (checked) {
      EXPECT_FALSE(checked->empty()) << "empty message for '" << actions << "'";
      ++rejected;
    } else {
      ++accepted;
    }
    // The same text as a whole FAILPOINTS value.
    const std::string spec = generated() + "=" + actions;
    const auto whole = outcome([&] { configure(spec); }, spec, other);
    if (whole) {
      EXPECT_FALSE(whole->empty()) << "empty message for '" << spec << "'";
    }
    teardown();
  }
  // Both sides of the grammar were reached, or the generator says nothing.
  EXPECT_GT(accepted, kInputs / 20);
  EXPECT_GT(rejected, kInputs / 20);
}

}  // namespace
}  // namespace failpoint
