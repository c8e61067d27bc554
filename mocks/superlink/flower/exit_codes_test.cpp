#include "superlink/flower/exit_codes.h"

#include <gtest/gtest.h>

namespace superlink {
namespace {

TEST(ExitCodes, EveryCodeOfTheContractIsInTheTable) {
  for (int code : {0, 1, 2, 3, 100, 104, 600, 601, 602}) {
    EXPECT_NE(find_exit_code(code), nullptr) << code;
  }
  EXPECT_EQ(find_exit_code(42), nullptr);
  EXPECT_EQ(find_exit_code(100)->name, "SUPERLINK_THREAD_CRASH");
}

TEST(ExitCodes, ThreadCrashBlockWithoutMessageHasABlankLine) {
  EXPECT_EQ(exit_block(100, ""),
            "Exit Code: 100\n\nAn important background thread has crashed.\n\n"
            "For more information, visit: <https://flower.ai/docs/framework/ref-exit-codes/"
            "100.html>");
}

TEST(ExitCodes, MessageTakesTheSlotAfterTheCode) {
  EXPECT_EQ(exit_block(600, "Address (x) cannot be parsed."),
            "Exit Code: 600\nAddress (x) cannot be parsed.\nPlease provide a valid URL, IPv4 or "
            "IPv6 address.\n\nFor more information, visit: "
            "<https://flower.ai/docs/framework/ref-exit-codes/600.html>");
}

TEST(ExitCodes, SuccessesCarryOnlyTheMessage) {
  EXPECT_EQ(exit_block(3, "SuperLink terminated gracefully."), "SuperLink terminated gracefully.");
}

TEST(ExitCodes, ProcessStatusPerMode) {
  EXPECT_EQ(process_status(100, ExitStatusMode::kDocumented), 100);
  EXPECT_EQ(process_status(600, ExitStatusMode::kDocumented), 88);
  EXPECT_EQ(process_status(3, ExitStatusMode::kDocumented), 3);
  EXPECT_EQ(process_status(100, ExitStatusMode::kFlower), 1);
  EXPECT_EQ(process_status(600, ExitStatusMode::kFlower), 1);
  EXPECT_EQ(process_status(2, ExitStatusMode::kFlower), 0);
}

}  // namespace
}  // namespace superlink
