// ChildEnvironment: the environment a spawned child gets (SpawnRequest::envp), built from this
// process's: entries dropped by name, set, or appended, then handed over as the null-terminated
// array posix_spawn takes. Keeps the strings the array points into.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace harness {

class ChildEnvironment {
 public:
  // This process's environment, in its order.
  static ChildEnvironment inherited();

  // Drops every entry named `name`.
  ChildEnvironment& unset(std::string_view name);
  // Drops every entry named `name`, then appends NAME=value.
  ChildEnvironment& set(std::string_view name, std::string_view value);
  // Appends a NAME=value entry as it is (an earlier one of the same name stays first).
  ChildEnvironment& append(std::string entry);

  const std::vector<std::string>& entries() const { return entries_; }
  // For SpawnRequest::envp: valid until this changes or goes.
  char* const* envp();

 private:
  std::vector<std::string> entries_;
  std::vector<char*> pointers_;
};

}  // namespace harness
