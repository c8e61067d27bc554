#include "child_environment.h"

#include <algorithm>

extern char** environ;

namespace harness {

ChildEnvironment ChildEnvironment::inherited() {
  ChildEnvironment env;
  for (char** entry = environ; *entry != nullptr; ++entry) env.entries_.emplace_back(*entry);
  return env;
}

ChildEnvironment& ChildEnvironment::unset(std::string_view name) {
  std::erase_if(entries_, [name](const std::string& entry) {
    return std::string_view(entry).substr(0, entry.find('=')) == name;
  });
  return *this;
}

ChildEnvironment& ChildEnvironment::set(std::string_view name, std::string_view value) {
  unset(name);
  return append(std::string(name) + "=" + std::string(value));
}

ChildEnvironment& ChildEnvironment::append(std::string entry) {
  entries_.push_back(std::move(entry));
  return *this;
}

char* const* ChildEnvironment::envp() {
  pointers_.clear();
  for (std::string& entry : entries_) pointers_.push_back(entry.data());
  pointers_.push_back(nullptr);
  return pointers_.data();
}

}  // namespace harness
