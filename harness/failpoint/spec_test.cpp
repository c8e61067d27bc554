// The failpoint grammar: what parses to what, and the exact message for every bad piece.
#include "spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "failpoint/failpoint.h"
#include "test_support.h"

namespace failpoint::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::Optional;

Action One(std::string_view actions) {
  const auto parsed = parse_actions("x", actions);
  EXPECT_EQ(parsed.size(), 1u) << actions;
  return parsed.at(0);
}

// The SpecError message that configure_one("x", actions) gives.
std::string ErrorOf(std::string_view actions) {
  try {
    configure_one("x", actions);
  } catch (const SpecError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string SpecErrorOf(std::string_view spec) {
  try {
    configure(spec);
  } catch (const SpecError& e) {
    return e.what();
  }
  return "(no error)";
}

class SpecTest : public failpoint::test_support::FailpointTest {};

TEST_F(SpecTest, EveryTaskWithoutArgument) {
  EXPECT_EQ(One("off").task, Task::kOff);
  EXPECT_EQ(One("return").task, Task::kReturn);
  EXPECT_EQ(One("panic").task, Task::kPanic);
  EXPECT_EQ(One("print").task, Task::kPrint);
  EXPECT_EQ(One("pause").task, Task::kPause);
  EXPECT_EQ(One("yield").task, Task::kYield);
  EXPECT_EQ(One("abort").task, Task::kAbort);
  EXPECT_EQ(One("segv").task, Task::kSegv);
  EXPECT_EQ(One("return").arg, std::nullopt);
  EXPECT_EQ(One("panic").arg, std::nullopt);
  EXPECT_EQ(One("off").percent, 100.0);
  EXPECT_EQ(One("off").count, std::nullopt);
}

TEST_F(SpecTest, EveryTaskWithArgument) {
  EXPECT_THAT(One("return(503)").arg, Optional(std::string("503")));
  EXPECT_THAT(One("return()").arg, Optional(std::string("")));
  EXPECT_THAT(One("panic(database is locked)").arg, Optional(std::string("database is locked")));
  EXPECT_THAT(One("print(hello)").arg, Optional(std::string("hello")));
  const auto sleep = One("sleep(100)");
  EXPECT_EQ(sleep.task, Task::kSleep);
  EXPECT_EQ(sleep.number, 100u);
  const auto delay = One("delay(5)");
  EXPECT_EQ(delay.task, Task::kDelay);
  EXPECT_EQ(delay.number, 5u);
  const auto exit = One("exit(7)");
  EXPECT_EQ(exit.task, Task::kExit);
  EXPECT_EQ(exit.number, 7u);
  EXPECT_EQ(One("exit(0)").number, 0u);
  EXPECT_EQ(One("exit(255)").number, 255u);
}

TEST_F(SpecTest, ArgumentKeepsPercentStarAndParentheses) {
  EXPECT_THAT(One("return(50%*x)").arg, Optional(std::string("50%*x")));
  EXPECT_THAT(One("return(f(x))").arg, Optional(std::string("f(x)")));
  EXPECT_THAT(One("return(a=b)").arg, Optional(std::string("a=b")));
  const auto a = One("20%3*panic(at 5% load)");
  EXPECT_EQ(a.percent, 20.0);
  EXPECT_THAT(a.count, Optional(3u));
  EXPECT_THAT(a.arg, Optional(std::string("at 5% load")));
}

TEST_F(SpecTest, CountsAndPercentages) {
  EXPECT_THAT(One("3*off").count, Optional(3u));
  EXPECT_THAT(One("0*panic").count, Optional(0u));
  EXPECT_EQ(One("20%return").percent, 20.0);
  EXPECT_EQ(One("0.5%return").percent, 0.5);
  EXPECT_EQ(One(".5%return").percent, 0.5);
  EXPECT_EQ(One("100%return").percent, 100.0);
  EXPECT_EQ(One("0%return").percent, 0.0);
  const auto both = One("25%2*return(x)");
  EXPECT_EQ(both.percent, 25.0);
  EXPECT_THAT(both.count, Optional(2u));
  EXPECT_EQ(both.task, Task::kReturn);
}

TEST_F(SpecTest, Chains) {
  const auto chain = parse_actions("x", "3*off->panic(boom)");
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[0].task, Task::kOff);
  EXPECT_THAT(chain[0].count, Optional(3u));
  EXPECT_EQ(chain[1].task, Task::kPanic);
  EXPECT_THAT(chain[1].arg, Optional(std::string("boom")));
  EXPECT_EQ(parse_actions("x", "1*return(a)->50%sleep(10)->delay(1)->off").size(), 4u);
}

TEST_F(SpecTest, WhitespaceAroundPiecesIsTrimmedButArgumentsAreKept) {
  const auto chain = parse_actions("x", "  20 % 3 * return ( a b )  ->  panic ");
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[0].percent, 20.0);
  EXPECT_THAT(chain[0].count, Optional(3u));
  EXPECT_EQ(chain[0].task, Task::kReturn);
  EXPECT_THAT(chain[0].arg, Optional(std::string(" a b ")));
  EXPECT_EQ(chain[1].task, Task::kPanic);
  EXPECT_EQ(One("sleep( 10 )").number, 10u);
}

TEST_F(SpecTest, SpecEntriesAreTrimmedAndEmptyOnesSkipped) {
  const auto entries = parse_spec(" ;; a = 3*off ; ;b=panic(x);  ");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].site, "a");
  EXPECT_EQ(entries[0].actions_text, "3*off");
  EXPECT_EQ(entries[1].site, "b");
  EXPECT_EQ(entries[1].actions_text, "panic(x)");
  EXPECT_TRUE(parse_spec("").empty());
  EXPECT_TRUE(parse_spec(" ; ; ").empty());
}

TEST_F(SpecTest, ConfigureArmsInOrderAndReplacesEverything) {
  configure("b=off;a=return(1)");
  EXPECT_THAT(armed_sites(), ElementsAre("b", "a"));
  EXPECT_THAT(armed_actions("a"), Optional(std::string("return(1)")));
  configure("c = panic ");
  EXPECT_THAT(armed_sites(), ElementsAre("c"));
  EXPECT_THAT(armed_actions("c"), Optional(std::string("panic")));
  EXPECT_EQ(armed_actions("a"), std::nullopt);
  configure("");
  EXPECT_TRUE(armed_sites().empty());
}

TEST_F(SpecTest, ConfigureOneAddsOrReplacesOneSite) {
  configure_one("a", "off");
  configure_one("b", "panic");
  configure_one("a", " return(2) ");
  EXPECT_THAT(armed_sites(), ElementsAre("a", "b"));
  EXPECT_THAT(armed_actions("a"), Optional(std::string("return(2)")));
}

TEST_F(SpecTest, ErrorMessagesNameTheBadPiece) {
  EXPECT_EQ(ErrorOf("panik(a)"),
            "failpoint 'x': unknown task 'panik' in action 'panik(a)' (tasks: off, return, sleep, "
            "panic, print, pause, yield, delay, abort, segv, exit)");
  EXPECT_EQ(ErrorOf("150%return"),
            "failpoint 'x': probability '150%' is over 100% in action '150%return'");
  EXPECT_EQ(ErrorOf("100.5%return"),
            "failpoint 'x': probability '100.5%' is over 100% in action '100.5%return'");
  EXPECT_EQ(ErrorOf("q*panic"),
            "failpoint 'x': count 'q' is not a whole number in action 'q*panic'");
  EXPECT_EQ(ErrorOf("-1*panic"),
            "failpoint 'x': count '-1' is not a whole number in action '-1*panic'");
  EXPECT_EQ(ErrorOf("1.5*panic"),
            "failpoint 'x': count '1.5' is not a whole number in action '1.5*panic'");
  EXPECT_EQ(ErrorOf("99999999999999999999*panic"),
            "failpoint 'x': count '99999999999999999999' is too large in action "
            "'99999999999999999999*panic'");
  EXPECT_EQ(ErrorOf("sleep"),
            "failpoint 'x': task 'sleep' needs a duration in milliseconds, as in sleep(100)");
  EXPECT_EQ(ErrorOf("delay"),
            "failpoint 'x': task 'delay' needs a duration in milliseconds, as in delay(100)");
  EXPECT_EQ(ErrorOf("sleep(abc)"),
            "failpoint 'x': duration 'abc' is not a whole number of milliseconds in action "
            "'sleep(abc)'");
  EXPECT_EQ(ErrorOf("delay(1.5)"),
            "failpoint 'x': duration '1.5' is not a whole number of milliseconds in action "
            "'delay(1.5)'");
  EXPECT_EQ(ErrorOf("sleep(86400001)"),
            "failpoint 'x': duration '86400001' is over one day (86400000 ms) in action "
            "'sleep(86400001)'");
  EXPECT_EQ(ErrorOf("exit"),
            "failpoint 'x': task 'exit' needs a status from 0 to 255, as in exit(3)");
  EXPECT_EQ(ErrorOf("exit(256)"),
            "failpoint 'x': exit status '256' is not a whole number from 0 to 255 in action "
            "'exit(256)'");
  EXPECT_EQ(ErrorOf("exit(-1)"),
            "failpoint 'x': exit status '-1' is not a whole number from 0 to 255 in action "
            "'exit(-1)'");
  EXPECT_EQ(ErrorOf("panic(boom"), "failpoint 'x': missing ')' in action 'panic(boom'");
  EXPECT_EQ(ErrorOf("panic(boom)!"), "failpoint 'x': text after ')' in action 'panic(boom)!'");
  EXPECT_EQ(ErrorOf("off->"), "failpoint 'x': empty action in 'off->'");
  EXPECT_EQ(ErrorOf("->off"), "failpoint 'x': empty action in '->off'");
  EXPECT_EQ(ErrorOf("off->  ->panic"), "failpoint 'x': empty action in 'off->  ->panic'");
  EXPECT_EQ(ErrorOf(""), "failpoint 'x': no actions given");
  EXPECT_EQ(ErrorOf("   "), "failpoint 'x': no actions given");
  EXPECT_EQ(ErrorOf("20%"), "failpoint 'x': missing task in action '20%'");
  EXPECT_EQ(ErrorOf("3*(boom)"), "failpoint 'x': missing task in action '3*(boom)'");
  EXPECT_EQ(ErrorOf("abc%return"),
            "failpoint 'x': probability 'abc%' is not a number from 0 to 100 in action "
            "'abc%return'");
  EXPECT_EQ(ErrorOf("-5%return"),
            "failpoint 'x': probability '-5%' is not a number from 0 to 100 in action "
            "'-5%return'");
  EXPECT_EQ(ErrorOf("1e2%return"),
            "failpoint 'x': probability '1e2%' is not a number from 0 to 100 in action "
            "'1e2%return'");
  EXPECT_EQ(ErrorOf("%return"),
            "failpoint 'x': probability '%' is not a number from 0 to 100 in action '%return'");
  EXPECT_EQ(ErrorOf("off(1)"), "failpoint 'x': task 'off' takes no argument in action 'off(1)'");
  EXPECT_EQ(ErrorOf("pause()"),
            "failpoint 'x': task 'pause' takes no argument in action 'pause()'");
  EXPECT_EQ(ErrorOf("segv(now)"),
            "failpoint 'x': task 'segv' takes no argument in action 'segv(now)'");
  EXPECT_EQ(ErrorOf("off->panik"),
            "failpoint 'x': unknown task 'panik' in action 'panik' (tasks: off, return, sleep, "
            "panic, print, pause, yield, delay, abort, segv, exit)");
}

TEST_F(SpecTest, SpecErrorsNameTheEntry) {
  EXPECT_EQ(SpecErrorOf("a=off;scheduler.tick"),
            "failpoint spec 'scheduler.tick': expected NAME=ACTIONS");
  EXPECT_EQ(SpecErrorOf("=panic"), "failpoint '': empty site name in entry '=panic'");
  EXPECT_EQ(SpecErrorOf("a=off;a=panic"), "failpoint 'a': given twice in one spec");
  EXPECT_EQ(SpecErrorOf("a=off;b=q*panic"),
            "failpoint 'b': count 'q' is not a whole number in action 'q*panic'");
  EXPECT_EQ(SpecErrorOf("a="), "failpoint 'a': no actions given");
}

TEST_F(SpecTest, EmptySiteNameIsAnError) {
  EXPECT_THROW(
      {
        try {
          configure_one("  ", "off");
        } catch (const SpecError& e) {
          EXPECT_STREQ(e.what(), "failpoint '': empty site name");
          throw;
        }
      },
      SpecError);
}

TEST_F(SpecTest, UnknownSiteListsTheDeclaredOnesSorted) {
  declare_sites({{"scheduler.tick", "each pass of the scheduler loop"},
                 {"rest.request", "each REST request"},
                 {"rest.listen", "after bind"}});
  EXPECT_EQ(SpecErrorOf("scheduler.tik=panic"),
            "failpoint 'scheduler.tik': unknown site (known: rest.listen, rest.request, "
            "scheduler.tick)");
  EXPECT_EQ(ErrorOf("panic"),
            "failpoint 'x': unknown site (known: rest.listen, rest.request, scheduler.tick)");
  // The grammar is checked before the site.
  EXPECT_EQ(SpecErrorOf("scheduler.tik=panik"),
            "failpoint 'scheduler.tik': unknown task 'panik' in action 'panik' (tasks: off, "
            "return, sleep, panic, print, pause, yield, delay, abort, segv, exit)");
  configure("scheduler.tick=off;rest.request=return(503)");
  EXPECT_THAT(armed_sites(), ElementsAre("scheduler.tick", "rest.request"));
  ASSERT_EQ(declared_sites().size(), 3u);
  EXPECT_EQ(declared_sites()[1].name, "rest.request");
  EXPECT_EQ(declared_sites()[1].where, "each REST request");
}

TEST_F(SpecTest, OnErrorThePreviousConfigurationIsKeptWhole) {
  configure("a=off;b=return(1)");
  EXPECT_THROW(configure("a=panic;c=panik"), SpecError);
  EXPECT_THAT(armed_sites(), ElementsAre("a", "b"));
  EXPECT_THAT(armed_actions("a"), Optional(std::string("off")));
  declare_sites({{"a", ""}, {"b", ""}});
  EXPECT_THROW(configure("a=panic;c=off"), SpecError);
  EXPECT_THAT(armed_sites(), ElementsAre("a", "b"));
  EXPECT_THAT(armed_actions("a"), Optional(std::string("off")));
  EXPECT_THROW(configure_one("b", "return(2)->"), SpecError);
  EXPECT_THAT(armed_actions("b"), Optional(std::string("return(1)")));
  EXPECT_THROW(configure_one("c", "off"), SpecError);
  EXPECT_THAT(armed_sites(), ElementsAre("a", "b"));
}

TEST_F(SpecTest, CheckActionsValidatesGrammarOnlyWithTheSameMessages) {
  declare_sites({{"a", ""}});
  EXPECT_NO_THROW(check_actions("not.declared", "3*off->20%panic(boom)"));
  EXPECT_TRUE(armed_sites().empty());
  for (const auto* bad :
       {"panik(a)", "150%return", "q*panic", "sleep", "panic(boom", "off->", "exit(300)", ""}) {
    std::string message;
    try {
      check_actions("x", bad);
    } catch (const SpecError& e) {
      message = e.what();
    }
    declare_sites({});
    EXPECT_EQ(message, ErrorOf(bad)) << bad;
    declare_sites({{"a", ""}});
  }
}

TEST_F(SpecTest, AnyProbabilistic) {
  EXPECT_FALSE(any_probabilistic());
  configure("a=3*off->100%panic");
  EXPECT_FALSE(any_probabilistic());
  configure_one("b", "off->99.9%return");
  EXPECT_TRUE(any_probabilistic());
  teardown();
  EXPECT_FALSE(any_probabilistic());
}

TEST(SplitSpec, SplitsAsParseSpecDoesAndChecksNothing) {
  EXPECT_THAT(spec_site_names(" a = off ;; b=panic(x); c ;d="), ElementsAre("a", "b", "c", "d"));
  const std::vector<SpecPart> parts = split_spec("a=1*off->panic; bare ");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].actions, "1*off->panic");
  EXPECT_TRUE(parts[0].has_equals);
  EXPECT_EQ(parts[1].name, "bare");
  EXPECT_FALSE(parts[1].has_equals);
}

}  // namespace
}  // namespace failpoint::internal
