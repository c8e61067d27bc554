#include "harness/report_junit.h"

#include <gtest/gtest.h>

#include "harness/report_text.h"
#include "report_fixtures.h"

namespace harness {
namespace {

ScenarioOutcome outcome(testing::Fixture f) {
  return {std::move(f.scenario), std::move(f.result), std::move(f.verdict), 0};
}

TEST(XmlEscape, EscapesMarkupAndQuotes) {
  EXPECT_EQ(xml_escape(R"(<a href="x">Tom & 'Jerry'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;");
}

TEST(XmlEscape, StripsControlCharactersButKeepsWhitespace) {
  using namespace std::string_literals;
  EXPECT_EQ(xml_escape("\x1b[91mERROR\x1b[0m\t:\x00\x07 x\r\n"s),
            std::string("[91mERROR[0m\t: x\r\n"));
  EXPECT_EQ(xml_escape(std::string("a\0b", 3)), "ab");
}

TEST(XmlEscape, ReplacesInvalidUtf8AndNonCharacters) {
  EXPECT_EQ(xml_escape("caf\xc3\xa9 \xff\xc3("), "caf\xc3\xa9 \xEF\xBF\xBD\xEF\xBF\xBD(");
  EXPECT_EQ(xml_escape("\xed\xa0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(xml_escape("\xc0\xaf"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(xml_escape("x\xef\xbf\xbfy"), "xy");                                  // U+FFFF
  EXPECT_EQ(xml_escape("\xf0\x9f\x94\xa5"), "\xf0\x9f\x94\xa5");                  // emoji kept
}

TEST(JunitReport, PassingAndFailingRunsGroupedByFolder) {
  auto passed = testing::tick_panic_passed();
  auto failed = testing::tick_panic_failed();
  failed.scenario.name = "tick_<panic>";
  failed.verdict.failures.resize(1);
  failed.result.log.head = {testing::stderr_line(5, "\x1b[91mERROR\x1b[0m : bad \"quote\" & \xfe")};
  auto error = testing::tick_panic_failed();
  error.scenario.group = "rest";
  error.scenario.name = "bind_taken";
  error.result.harness_error = "cannot occupy fleet port";
  error.result.log = {};
  error.result.wall = std::chrono::milliseconds(1);

  const std::vector<ScenarioOutcome> outcomes{outcome(passed), outcome(failed), outcome(error)};
  const std::string report =
      full_report(outcomes[1].scenario, outcomes[1].result, outcomes[1].verdict, {});
  const std::string error_report =
      full_report(outcomes[2].scenario, outcomes[2].result, outcomes[2].verdict, {});
  EXPECT_EQ(junit_report(outcomes),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuites name=\"superlink-harness\" tests=\"3\" failures=\"1\" errors=\"1\" "
            "time=\"0.651\">\n"
            "  <testsuite name=\"rest\" tests=\"1\" failures=\"0\" errors=\"1\" time=\"0.001\">\n"
            "    <testcase name=\"bind_taken\" classname=\"rest\" "
            "file=\"scenarios/scheduler/tick_panic.toml\" time=\"0.001\">\n"
            "      <error message=\"harness error: cannot occupy fleet port\" type=\"harness\">" +
                xml_escape(error_report) +
                "</error>\n"
                "    </testcase>\n"
                "  </testsuite>\n"
                "  <testsuite name=\"scheduler\" tests=\"2\" failures=\"1\" errors=\"0\" "
                "time=\"0.650\">\n"
                "    <testcase name=\"tick_panic\" classname=\"scheduler\" "
                "file=\"scenarios/scheduler/tick_panic.toml\" time=\"0.325\"/>\n"
                "    <testcase name=\"tick_&lt;panic&gt;\" classname=\"scheduler\" "
                "file=\"scenarios/scheduler/tick_panic.toml\" time=\"0.325\">\n"
                "      <failure message=\"expected exit status 100, got exited with status 0\" "
                "type=\"verdict\">" +
                xml_escape(report) +
                "</failure>\n"
                "      <system-err>[stderr] [91mERROR[0m : bad &quot;quote&quot; &amp; "
                "\xEF\xBF\xBD\n</system-err>\n"
                "    </testcase>\n"
                "  </testsuite>\n"
                "</testsuites>\n");
  // The failure body is the text report, escaped: its markup-looking parts are entities.
  EXPECT_NE(xml_escape(report).find("scheduler/tick_&lt;panic&gt;"), std::string::npos);
}

TEST(JunitReport, SkippedRunsAreSkippedElementsAndCounted) {
  auto skipped = testing::tick_panic_failed();
  skipped.result = RunResult{};
  skipped.verdict = skipped_verdict("requires failpoints; the target lists none");
  EXPECT_EQ(junit_report({outcome(skipped)}),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuites name=\"superlink-harness\" tests=\"1\" failures=\"0\" errors=\"0\" "
            "skipped=\"1\" time=\"0.000\">\n"
            "  <testsuite name=\"scheduler\" tests=\"1\" failures=\"0\" errors=\"0\" "
            "skipped=\"1\" time=\"0.000\">\n"
            "    <testcase name=\"tick_panic\" classname=\"scheduler\" "
            "file=\"scenarios/scheduler/tick_panic.toml\" time=\"0.000\">\n"
            "      <skipped message=\"requires failpoints; the target lists none\"/>\n"
            "    </testcase>\n"
            "  </testsuite>\n"
            "</testsuites>\n");
}

TEST(JunitReport, SystemErrKeepsOnlyTheTail) {
  auto f = testing::tick_panic_failed();
  const std::string xml = junit_report({outcome(f)}, 1);
  EXPECT_NE(xml.find("<system-err>[stderr] INFO :      SuperLink terminated gracefully.\n"
                     "</system-err>"),
            std::string::npos)
      << xml;
}

}  // namespace
}  // namespace harness
