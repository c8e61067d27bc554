#include "harness/testing/matchers.h"

#include <algorithm>
#include <functional>
#include <ostream>
#include <set>

#include "harness/line_match.h"
#include "harness/signal_name.h"
#include "harness/verdict.h"

namespace harness::test_support {

namespace {

using ::testing::MatchResultListener;

std::string join(const std::vector<std::string>& words, const char* before, const char* after) {
  std::string text;
  for (const auto& word : words) {
    text += (text.empty() ? "" : ", ") + std::string(before) + word + after;
  }
  return text.empty() ? "none" : text;
}

std::vector<std::string> fired_sites(const RunResult& result) {
  std::vector<std::string> sites;
  for (const JournalEntry& entry : result.journal) {
    if (entry.task != "off" && std::find(sites.begin(), sites.end(), entry.site) == sites.end()) {
      sites.push_back(entry.site);
    }
  }
  return sites;
}

// Ending matchers: one predicate on Termination, one phrase.
class EndingMatcher : public ::testing::MatcherInterface<const RunResult&> {
 public:
  EndingMatcher(std::string phrase, std::string negation,
                std::function<bool(const Termination&)> predicate)
      : phrase_(std::move(phrase)),
        negation_(std::move(negation)),
        predicate_(std::move(predicate)) {}

  bool MatchAndExplain(const RunResult& result, MatchResultListener* listener) const override {
    *listener << "which ended: " << DescribeEnding(result);
    return predicate_(result.end);
  }
  void DescribeTo(std::ostream* os) const override { *os << phrase_; }
  void DescribeNegationTo(std::ostream* os) const override { *os << negation_; }

 private:
  std::string phrase_;
  std::string negation_;
  std::function<bool(const Termination&)> predicate_;
};

class LinesInOrderMatcher : public ::testing::MatcherInterface<const RunResult&> {
 public:
  explicit LinesInOrderMatcher(std::vector<std::string> patterns)
      : patterns_(std::move(patterns)) {}

  bool MatchAndExplain(const RunResult& result, MatchResultListener* listener) const override {
    const auto lines = lines_of(result.log, Stream::Stderr);
    std::vector<OrderedMatch> matches;
    try {
      matches = match_in_order(lines, patterns_);
    } catch (const PatternError& error) {
      *listener << "which cannot be checked: a pattern is not a valid RE2 pattern: "
                << error.what();
      return false;
    }
    std::vector<std::string> found;
    for (const OrderedMatch& match : matches) {
      if (match.line) {
        found.push_back(std::to_string(*match.line + 1));
        continue;
      }
      *listener << "whose stderr (" << lines.size() << " lines) has no line matching /"
                << match.pattern << "/";
      if (match.after) *listener << " after line " << *match.after + 1;
      if (auto nearest = nearest_line(lines, match.pattern, match.after)) {
        *listener << "; nearest: line " << nearest->index + 1 << " \"" << nearest->text << "\"";
      }
      return false;
    }
    *listener << "which matched at lines " << join(found, "", "");
    return true;
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "has stderr lines matching, in order: " << join(patterns_, "/", "/");
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "does not have stderr lines matching, in order: " << join(patterns_, "/", "/");
  }

 private:
  std::vector<std::string> patterns_;
};

class NoLineMatcher : public ::testing::MatcherInterface<const RunResult&> {
 public:
  explicit NoLineMatcher(std::string pattern) : pattern_(std::move(pattern)) {}

  bool MatchAndExplain(const RunResult& result, MatchResultListener* listener) const override {
    const auto lines = lines_of(result.log, Stream::Stderr);
    std::vector<std::size_t> found;
    try {
      found = matching_lines(lines, pattern_);
    } catch (const PatternError& error) {
      *listener << "which cannot be checked: /" << pattern_
                << "/ is not a valid RE2 pattern: " << error.what();
      return false;
    }
    if (found.empty()) {
      *listener << "whose " << lines.size() << " stderr lines do not match it";
      return true;
    }
    const auto line = std::find_if(lines.begin(), lines.end(),
                                   [&](const NumberedLine& l) { return l.index == found.front(); });
    *listener << "whose stderr line " << result.log.line_number(found.front()) << " matches: \""
              << line->text << "\"";
    return false;
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "has no stderr line matching /" << pattern_ << "/";
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "has a stderr line matching /" << pattern_ << "/";
  }

 private:
  std::string pattern_;
};

class FiredMatcher : public ::testing::MatcherInterface<const RunResult&> {
 public:
  explicit FiredMatcher(std::string site) : site_(std::move(site)) {}

  bool MatchAndExplain(const RunResult& result, MatchResultListener* listener) const override {
    const auto fired = fired_sites(result);
    *listener << "which fired: " << join(fired, "", "");
    return std::find(fired.begin(), fired.end(), site_) != fired.end();
  }
  void DescribeTo(std::ostream* os) const override { *os << "fired failpoint " << site_; }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "did not fire failpoint " << site_;
  }

 private:
  std::string site_;
};

class FiredExactlyMatcher : public ::testing::MatcherInterface<const RunResult&> {
 public:
  explicit FiredExactlyMatcher(std::vector<std::string> sites) : sites_(std::move(sites)) {
    std::sort(sites_.begin(), sites_.end());
    sites_.erase(std::unique(sites_.begin(), sites_.end()), sites_.end());
  }

  bool MatchAndExplain(const RunResult& result, MatchResultListener* listener) const override {
    const auto fired = fired_sites(result);
    std::vector<std::string> missing;
    std::vector<std::string> unexpected;
    for (const auto& site : sites_) {
      if (std::find(fired.begin(), fired.end(), site) == fired.end()) missing.push_back(site);
    }
    for (const auto& site : fired) {
      if (!std::binary_search(sites_.begin(), sites_.end(), site)) unexpected.push_back(site);
    }
    *listener << "which fired: " << join(fired, "", "");
    if (!missing.empty()) *listener << "; never fired: " << join(missing, "", "");
    if (!unexpected.empty()) *listener << "; not expected: " << join(unexpected, "", "");
    return missing.empty() && unexpected.empty();
  }
  void DescribeTo(std::ostream* os) const override {
    *os << "fired exactly these failpoints: " << join(sites_, "", "");
  }
  void DescribeNegationTo(std::ostream* os) const override {
    *os << "did not fire exactly these failpoints: " << join(sites_, "", "");
  }

 private:
  std::vector<std::string> sites_;
};

}  // namespace

std::string DescribeEnding(const RunResult& result) {
  return describe_ending(result);
}

RunMatcher ExitsWith(int code) {
  return ::testing::MakeMatcher(new EndingMatcher(
      "exits with status " + std::to_string(code),
      "does not exit with status " + std::to_string(code), [code](const Termination& end) {
        return end.kind == Termination::Kind::Exited && end.code == code;
      }));
}

RunMatcher KilledBy(int signal) {
  return ::testing::MakeMatcher(new EndingMatcher(
      "is killed by signal " + signal_name(signal),
      "is not killed by signal " + signal_name(signal), [signal](const Termination& end) {
        return end.kind == Termination::Kind::Signaled && end.signal == signal;
      }));
}

RunMatcher StillRunning() {
  return ::testing::MakeMatcher(new EndingMatcher(
      "is still running at the end of the run", "is no longer running at the end of the run",
      [](const Termination& end) { return end.kind == Termination::Kind::StillRunning; }));
}

RunMatcher StderrHasLinesInOrder(std::vector<std::string> patterns) {
  return ::testing::MakeMatcher(new LinesInOrderMatcher(std::move(patterns)));
}

RunMatcher StderrHasNoLine(std::string pattern) {
  return ::testing::MakeMatcher(new NoLineMatcher(std::move(pattern)));
}

RunMatcher Fired(std::string site) {
  return ::testing::MakeMatcher(new FiredMatcher(std::move(site)));
}

RunMatcher FiredExactly(std::vector<std::string> sites) {
  return ::testing::MakeMatcher(new FiredExactlyMatcher(std::move(sites)));
}

}  // namespace harness::test_support
