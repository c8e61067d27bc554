#include "harness/signal_name.h"

#include <gtest/gtest.h>

#include <csignal>

namespace harness {
namespace {

TEST(ParseSignal, AcceptsFullNamesShortNamesAndNumbers) {
  EXPECT_EQ(parse_signal("SIGTERM"), SIGTERM);
  EXPECT_EQ(parse_signal("TERM"), SIGTERM);
  EXPECT_EQ(parse_signal("9"), SIGKILL);
  EXPECT_EQ(parse_signal("SIGABRT"), SIGABRT);
  EXPECT_EQ(parse_signal("40"), 40);
}

TEST(ParseSignal, RejectsWhatNamesNoSignal) {
  EXPECT_EQ(parse_signal("SIGFOO"), std::nullopt);
  EXPECT_EQ(parse_signal("sigterm"), std::nullopt);
  EXPECT_EQ(parse_signal("0"), std::nullopt);
  EXPECT_EQ(parse_signal("65"), std::nullopt);
  EXPECT_EQ(parse_signal("15x"), std::nullopt);
  EXPECT_EQ(parse_signal(""), std::nullopt);
}

TEST(SignalName, NamesKnownSignalsAndNumbersTheRest) {
  EXPECT_EQ(signal_name(SIGABRT), "SIGABRT");
  EXPECT_EQ(signal_name(SIGSEGV), "SIGSEGV");
  EXPECT_EQ(signal_name(40), "signal 40");
}

}  // namespace
}  // namespace harness
