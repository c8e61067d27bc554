#include "report_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report_fixtures.h"

namespace harness {
namespace {

// The text of a run whose scenario is named `name`, as it appears in the report.
std::string name_in_report(const std::string& name) {
  auto run = test_support::tick_panic_passed();
  run.scenario.name = name;
  const std::string json = json_report({{run.scenario, run.result, run.verdict, 0}});
  const std::string key = "{\"name\":";
  const auto start = json.find(key) + key.size();
  return json.substr(start, json.find(",\"group\":") - start);
}

TEST(JsonReport, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(name_in_report(R"(say "hi" \o/)"), R"("say \"hi\" \\o/")");
  EXPECT_EQ(name_in_report("\x1b[0m\n\t\r\b\f\x01"), R"("\u001b[0m\n\t\r\b\f\u0001")");
  EXPECT_EQ(name_in_report(std::string("a\0b", 3)), R"("a\u0000b")");
  EXPECT_EQ(name_in_report("<&>'"), R"("<&>'")");
}

TEST(JsonReport, ReplacesInvalidUtf8) {
  EXPECT_EQ(name_in_report("caf\xc3\xa9\xff"), "\"caf\xc3\xa9\xEF\xBF\xBD\"");
  EXPECT_EQ(name_in_report("\xe2\x82"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");  // truncated sequence
}

TEST(JsonReport, TimesAreMillisecondsToTheMicrosecond) {
  auto run = test_support::tick_panic_passed();
  run.result.wall = Nanos(1'234'567'890);
  run.result.ready_at = Nanos(1'499);
  const std::string json = json_report({{run.scenario, run.result, run.verdict, 0}});
  EXPECT_THAT(json, ::testing::HasSubstr("\"ready_ms\":0.001,"));
  EXPECT_THAT(json, ::testing::HasSubstr("\"wall_ms\":1234.568,"));
}

TEST(JsonReport, EmptyRunIsAnEmptyArray) {
  EXPECT_EQ(json_report({}), "[]\n");
}

TEST(JsonReport, OneObjectPerRun) {
  auto passed = test_support::tick_panic_passed();
  auto failed = test_support::tick_panic_failed();
  failed.result.exit_at.reset();
  failed.result.ready_at.reset();
  failed.result.harness_error = "spawn \"x\" failed";
  const std::vector<ScenarioOutcome> outcomes{{passed.scenario, passed.result, passed.verdict, 0},
                                              {failed.scenario, failed.result, failed.verdict, 1}};
  EXPECT_EQ(
      json_report(outcomes),
      "[\n"
      "  {\"name\":\"tick_panic\",\"group\":\"scheduler\",\"file\":\"scenarios/scheduler/"
      "tick_panic.toml\",\"repetition\":0,\"passed\":true,\"skipped\":null,\"harness_error\":null,"
      "\"ending\":\"exited with status 100\",\"expected_ending\":\"exit status 100\","
      "\"failures\":[],\"fired\":[\"scheduler.tick\"],\"armed_never_fired\":[],\"leftovers\":[],"
      "\"containment\":\"\","
      "\"fault_to_exit_ms\":12.0,\"ready_ms\":30.0,\"exit_ms\":318.0,\"wall_ms\":325.0,"
      "\"journal\":[{\"hit\":1,\"site\":\"scheduler.tick\",\"task\":\"off\",\"arg\":\"\","
      "\"thread\":\"scheduler\",\"seed\":7,\"pid\":4242,\"t_ms\":105.0},"
      "{\"hit\":3,\"site\":\"scheduler.tick\",\"task\":\"panic\",\"arg\":\"database is locked\","
      "\"thread\":\"scheduler\",\"seed\":7,\"pid\":4242,\"t_ms\":306.0}],\"events\":[],"
      "\"repro\":\"FAILPOINTS='scheduler.tick=2*off->panic(database is locked)' NO_COLOR=1 "
      "/b/bin/mock-superlink --insecure --ready-file ./ready.json\"},\n"
      "  {\"name\":\"tick_panic\",\"group\":\"scheduler\",\"file\":\"scenarios/scheduler/"
      "tick_panic.toml\",\"repetition\":1,\"passed\":false,\"skipped\":null,"
      "\"harness_error\":\"spawn \\\"x\\\" failed\","
      "\"ending\":\"exited with status 0\",\"expected_ending\":\"exit status 100\","
      "\"failures\":[{\"expected\":\"exit status 100\",\"actual\":\"exited with status 0\","
      "\"nearest_line\":null,\"nearest_text\":\"\"},{\"expected\":\"stderr line matching "
      "/Exit Code: 100/\",\"actual\":\"no such line in 3 lines of stderr\",\"nearest_line\":2,"
      "\"nearest_text\":\"ERROR :     Exit Code: 10\"}],\"fired\":[\"scheduler.tick\"],"
      "\"armed_never_fired\":[],\"leftovers\":[],\"containment\":\"\",\"fault_to_exit_ms\":null,"
      "\"ready_ms\":null,"
      "\"exit_ms\":null,"
      "\"wall_ms\":325.0,\"journal\":[{\"hit\":1,\"site\":\"scheduler.tick\",\"task\":\"off\","
      "\"arg\":\"\",\"thread\":\"scheduler\",\"seed\":7,\"pid\":4242,\"t_ms\":105.0}],"
      "\"events\":[],\"repro\":\"FAILPOINTS='scheduler.tick=2*off->panic(database is locked)' "
      "NO_COLOR=1 "
      "/b/bin/mock-superlink --insecure --ready-file ./ready.json\"}\n"
      "]\n");
}

TEST(JsonReport, SaysWhatEachEventDid) {
  auto f = test_support::tick_panic_failed();
  test_support::add_events(f);
  const std::string json = json_report({{f.scenario, f.result, f.verdict, 0}});
  EXPECT_THAT(json,
              ::testing::HasSubstr(
                  "\"events\":[{\"event\":0,\"repetition\":0,\"what\":\"request ping\","
                  "\"anchor\":\"ready+10ms\",\"done\":true,\"t_ms\":41.0,\"status\":200,"
                  "\"body\":\"pong\\\\x01\",\"body_cut\":false,\"error\":null,\"unsent\":false,"
                  "\"did\":null,\"outcome\":\"done at +41 ms: HTTP 200 \\\"pong\\\\x01\\\"\"},"
                  "{\"event\":0,\"repetition\":1,"));
  EXPECT_THAT(json, ::testing::HasSubstr(
                        "\"what\":\"signal SIGTERM\",\"anchor\":\"fired:scheduler.tick\","
                        "\"done\":false,\"t_ms\":318.0,\"status\":null,\"body\":\"\","
                        "\"body_cut\":false,\"error\":\"target had exited\",\"unsent\":false,"
                        "\"did\":null,\"outcome\":\"not done: target had exited\"}]"));
}

}  // namespace
}  // namespace harness
