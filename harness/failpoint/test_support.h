// Shared by the failpoint runtime's tests: a fixture that leaves no fault state behind, temporary
// files, and a reader for journal lines.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "failpoint/failpoint.h"

namespace failpoint::test_support {

// Every test starts and ends with nothing armed, nothing declared, default handlers, no journal.
class FailpointTest : public ::testing::Test {
 protected:
  void SetUp() override { Reset(); }
  void TearDown() override { Reset(); }
  static void Reset() {
    teardown();
    declare_sites({});
    set_print_handler(nullptr);
    set_exit_handler(nullptr);
    set_panic_handler(nullptr);
    close_journal();
  }
};

// A thread that may park at a site. A failed ASSERT returns before the test's join: then its
// destruction releases every parked thread (teardown) and joins, where a joinable std::thread
// would abort the whole test binary.
class SiteThread {
 public:
  SiteThread() = default;
  template <class F>
  explicit SiteThread(F&& body) : thread_(std::forward<F>(body)) {}
  SiteThread(SiteThread&&) = default;
  SiteThread& operator=(SiteThread&&) = default;
  ~SiteThread() {
    if (thread_.joinable()) teardown();  // the jthread then joins
  }
  void join() { thread_.join(); }

 private:
  std::jthread thread_;
};

// A fresh empty directory for one test's files.
inline std::string TempDir() {
  std::string templ = ::testing::TempDir() + "failpoint-XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return templ + "/";
}

inline std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// One journal line, read back.
struct JournalRecord {
  std::uint64_t hit = 0;
  std::string site, task, arg, thread;
  std::uint64_t seed = 0, mono_ns = 0, pid = 0;
  std::optional<bool> parked;  // pause lines only
};

// Reads one journal line: a flat JSON object of strings and unsigned integers, with exactly the
// journal's keys in the journal's order (a pause line ends with "parked":true|false). Throws
// std::runtime_error on anything else. ordered_json keeps the keys in the order they came.
inline JournalRecord ParseJournalLine(const std::string& line) {
  const auto fail = [&](const std::string& why) {
    return std::runtime_error("bad journal line (" + why + "): " + line);
  };
  nlohmann::ordered_json object;
  try {
    object = nlohmann::ordered_json::parse(line);
  } catch (const nlohmann::json::parse_error& error) {
    throw fail(error.what());
  }
  if (!object.is_object()) throw fail("not an object");
  static const char* const kKeys[] = {"hit",  "site",    "task", "arg",   "thread",
                                      "seed", "mono_ns", "pid",  "parked"};
  std::size_t at = 0;
  for (const auto& [key, value] : object.items()) {
    if (at == std::size(kKeys) || key != kKeys[at]) throw fail("unexpected key " + key);
    ++at;
  }
  if (at < 8) throw fail(std::string("missing key ") + kKeys[at]);
  const auto string = [&](const char* key) {
    if (!object[key].is_string()) throw fail(std::string(key) + " is not a string");
    return object[key].get<std::string>();
  };
  const auto number = [&](const char* key) {
    if (!object[key].is_number_unsigned()) throw fail(std::string(key) + " is not a number");
    return object[key].get<std::uint64_t>();
  };
  JournalRecord r;
  r.hit = number("hit");
  r.site = string("site");
  r.task = string("task");
  r.arg = string("arg");
  r.thread = string("thread");
  r.seed = number("seed");
  r.mono_ns = number("mono_ns");
  r.pid = number("pid");
  if (at == 9) {
    if (!object["parked"].is_boolean()) throw fail("parked is not true or false");
    r.parked = object["parked"].get<bool>();
  }
  return r;
}

}  // namespace failpoint::test_support
