// Shared by the failpoint runtime's tests: a fixture that leaves no fault state behind, temporary
// files, and a reader for journal lines.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "failpoint/failpoint.h"

namespace failpoint::testing {

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
// std::runtime_error on anything else.
inline JournalRecord ParseJournalLine(const std::string& line) {
  std::size_t i = 0;
  const auto fail = [&](const std::string& why) -> std::runtime_error {
    return std::runtime_error("bad journal line at " + std::to_string(i) + " (" + why +
                              "): " + line);
  };
  const auto expect = [&](char c) {
    if (i >= line.size() || line[i] != c) throw fail(std::string("expected '") + c + "'");
    ++i;
  };
  const auto string = [&] {
    expect('"');
    std::string out;
    while (i < line.size() && line[i] != '"') {
      char c = line[i++];
      if (c == '\\') {
        if (i >= line.size()) throw fail("dangling escape");
        const char e = line[i++];
        switch (e) {
          case '"':
            c = '"';
            break;
          case '\\':
            c = '\\';
            break;
          case '/':
            c = '/';
            break;
          case 'n':
            c = '\n';
            break;
          case 'r':
            c = '\r';
            break;
          case 't':
            c = '\t';
            break;
          case 'b':
            c = '\b';
            break;
          case 'f':
            c = '\f';
            break;
          case 'u': {
            if (i + 4 > line.size()) throw fail("short \\u escape");
            const unsigned long code = std::stoul(line.substr(i, 4), nullptr, 16);
            if (code > 0x7f) throw fail("non-ASCII \\u escape");
            c = static_cast<char>(code);
            i += 4;
            break;
          }
          default:
            throw fail("unknown escape");
        }
      } else if (static_cast<unsigned char>(c) < 0x20) {
        throw fail("raw control character");
      }
      out += c;
    }
    expect('"');
    return out;
  };
  const auto number = [&] {
    const std::size_t start = i;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
    if (i == start) throw fail("expected a number");
    return static_cast<std::uint64_t>(std::stoull(line.substr(start, i - start)));
  };
  const auto key = [&](const char* name, bool first) {
    if (!first) expect(',');
    if (string() != name) throw fail(std::string("expected key ") + name);
    expect(':');
  };
  JournalRecord r;
  expect('{');
  key("hit", true), r.hit = number();
  key("site", false), r.site = string();
  key("task", false), r.task = string();
  key("arg", false), r.arg = string();
  key("thread", false), r.thread = string();
  key("seed", false), r.seed = number();
  key("mono_ns", false), r.mono_ns = number();
  key("pid", false), r.pid = number();
  if (line.compare(i, 15, ",\"parked\":true}") == 0) {
    r.parked = true, i += 14;
  } else if (line.compare(i, 16, ",\"parked\":false}") == 0) {
    r.parked = false, i += 15;
  }
  expect('}');
  if (i != line.size()) throw fail("text after the object");
  return r;
}

}  // namespace failpoint::testing
