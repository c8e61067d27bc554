#include "report_junit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "junit_parts.h"
#include "report_fixtures.h"
#include "report_text.h"
#include "report_text_parts.h"

namespace harness {
namespace {

ScenarioOutcome outcome(test_support::Fixture f) {
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
  auto passed = test_support::tick_panic_passed();
  auto failed = test_support::tick_panic_failed();
  failed.scenario.name = "tick_<panic>";
  failed.verdict.failures.resize(1);
  failed.result.log.head = {
      test_support::stderr_line(5, "\x1b[91mERROR\x1b[0m : bad \"quote\" & \xfe")};
  auto error = test_support::tick_panic_failed();
  error.scenario.group = "rest";
  error.scenario.name = "bind_taken";
  error.scenario.file = "scenarios/rest/bind_taken.toml";
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
            "    <testcase name=\"bind_taken\" classname=\"rest\" time=\"0.001\">\n"
            "      <error message=\"harness error: cannot occupy fleet port\" type=\"harness\">" +
                xml_escape(error_report) +
                "</error>\n"
                "    </testcase>\n"
                "  </testsuite>\n"
                "  <testsuite name=\"scheduler\" tests=\"2\" failures=\"1\" errors=\"0\" "
                "time=\"0.650\">\n"
                "    <testcase name=\"tick_panic\" classname=\"scheduler\" time=\"0.325\"/>\n"
                "    <testcase name=\"tick_&lt;panic&gt;\" classname=\"scheduler\" "
                "time=\"0.325\">\n"
                "      <failure message=\"expected exit status 100, got exited with status 0\" "
                "type=\"verdict\">" +
                xml_escape(report) +
                "</failure>\n"
                "      <system-err>[91mERROR[0m : bad &quot;quote&quot; &amp; "
                "\xEF\xBF\xBD\n</system-err>\n"
                "    </testcase>\n"
                "  </testsuite>\n"
                "</testsuites>\n");
  // The failure body is the text report, escaped: its markup-looking parts are entities.
  EXPECT_THAT(xml_escape(report), ::testing::HasSubstr("scheduler/tick_&lt;panic&gt;"));
}

TEST(JunitReport, SkippedRunsAreSkippedElementsAndCounted) {
  auto skipped = test_support::tick_panic_failed();
  skipped.result = RunResult{};
  skipped.verdict = skipped_verdict("requires failpoints; the target lists none");
  EXPECT_EQ(junit_report({outcome(skipped)}),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuites name=\"superlink-harness\" tests=\"1\" failures=\"0\" errors=\"0\" "
            "skipped=\"1\" time=\"0.000\">\n"
            "  <testsuite name=\"scheduler\" tests=\"1\" failures=\"0\" errors=\"0\" "
            "skipped=\"1\" time=\"0.000\">\n"
            "    <testcase name=\"tick_panic\" classname=\"scheduler\" "
            "time=\"0.000\">\n"
            "      <skipped message=\"requires failpoints; the target lists none\"/>\n"
            "    </testcase>\n"
            "  </testsuite>\n"
            "</testsuites>\n");
}

TEST(JunitReport, SystemOutAndSystemErrKeepTheTailOfTheirOwnStream) {
  auto f = test_support::tick_panic_failed();
  f.result.log.tail = {test_support::stdout_line(310, "GET /health 200"),
                       test_support::stderr_line(311, "INFO :      last words")};
  const std::string xml = junit_report({outcome(f)}, 1);
  EXPECT_THAT(xml,
              ::testing::HasSubstr("      <system-out>GET /health 200\n</system-out>\n"
                                   "      <system-err>INFO :      last words\n</system-err>\n"));
}

TEST(JunitReport, EachRepetitionHasANameOfItsOwn) {
  std::vector<ScenarioOutcome> outcomes;
  for (int r = 0; r < 3; ++r) {
    outcomes.push_back(outcome(test_support::tick_panic_passed()));
    outcomes.back().repetition = r;
  }
  outcomes.push_back(outcome(test_support::tick_panic_passed()));
  outcomes.back().scenario.name = "once";
  const std::string xml = junit_report(outcomes);
  for (const char* name : {"tick_panic #1", "tick_panic #2", "tick_panic #3"}) {
    EXPECT_THAT(xml, ::testing::HasSubstr("<testcase name=\"" + std::string(name) +
                                          "\" classname=\"scheduler\""))
        << name;
  }
  EXPECT_THAT(xml, ::testing::HasSubstr("<testcase name=\"once\" classname=\"scheduler\""));
}

TEST(JunitClass, IsTheFolderHoweverThePathWasTyped) {
  const std::string cwd = std::filesystem::current_path().filename().string();
  Scenario scenario;
  for (const std::string path :
       {"scenarios/rest/port_taken.toml", "./scenarios/rest/port_taken.toml",
        "scenarios//rest/./port_taken.toml", "/abs/scenarios/rest/port_taken.toml"}) {
    scenario.file = path;
    EXPECT_EQ(junit_class(scenario), "rest") << path;
  }
  // A file in the folder the harness runs in: that folder's name, not "" or ".".
  for (const std::string path : {"top.toml", "./top.toml"}) {
    scenario.file = path;
    EXPECT_EQ(junit_class(scenario), cwd) << path;
  }
  scenario.file.clear();
  scenario.group = "built";
  EXPECT_EQ(junit_class(scenario), "built");
  scenario.group.clear();
  EXPECT_EQ(junit_class(scenario), "superlink-harness");
}

// xmllint's verdict on `xml` against the Jenkins/Ant JUnit schema in testdata/junit.xsd.
int validate(const std::string& xml) {
  const std::filesystem::path file = std::filesystem::temp_directory_path() /
                                     ("report_junit_test_" + std::to_string(::getpid()) + ".xml");
  std::ofstream(file) << xml;
  const std::string command = "xmllint --noout --schema '" + std::string(JUNIT_XSD) + "' '" +
                              file.string() + "' 2>/dev/null";
  const int status = std::system(command.c_str());
  std::filesystem::remove(file);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(JunitReport, ValidatesAgainstTheJenkinsJunitSchema) {
  auto failed = test_support::tick_panic_failed();
  failed.result.log.tail = {test_support::stdout_line(310, "GET <health> & \x1b[0m 200")};
  auto error = test_support::tick_panic_failed();
  error.result.harness_error = "cannot occupy fleet port";
  auto skipped = test_support::tick_panic_failed();
  skipped.result = RunResult{};
  skipped.verdict = skipped_verdict("requires failpoints; the target lists none");
  std::vector<ScenarioOutcome> outcomes{outcome(test_support::tick_panic_passed()), outcome(failed),
                                        outcome(error), outcome(skipped)};
  outcomes[2].repetition = 1;
  outcomes[3].repetition = 2;
  const std::string xml = junit_report(outcomes);
  EXPECT_EQ(validate(xml), 0) << xml;
  // The schema does reject what CI tools do not know: the old testcase/@file attribute.
  std::string with_file = xml;
  with_file.replace(with_file.find("<testcase "), 10, "<testcase file=\"x.toml\" ");
  EXPECT_NE(validate(with_file), 0);
}

TEST(JunitReport, TheFailureBodySaysWhatEachEventDid) {
  auto f = test_support::tick_panic_failed();
  test_support::add_events(f);
  const std::string xml = junit_report({outcome(f)});
  EXPECT_THAT(
      xml, ::testing::HasSubstr("    events[0] request ping #2 at ready+10ms: not done at +45 ms: "
                                "Connection refused (fails the run)\n"));
}

}  // namespace
}  // namespace harness
