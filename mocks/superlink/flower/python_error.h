// An error as the real SuperLink's Python code would raise it: the exception's qualified type
// (`sqlite3.OperationalError`) and its message (`database is locked`). A critical thread that
// dies of one is reported with `TYPE: MESSAGE` as the last line of its traceback, as Python
// prints it; describe_exception() gives the message alone.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace superlink {

class PythonError : public std::runtime_error {
 public:
  PythonError(std::string type, const std::string& message)
      : std::runtime_error(message), type_(std::move(type)) {}
  // Qualified type name as Python prints it: "sqlite3.OperationalError", "KeyError".
  const std::string& type() const { return type_; }

 private:
  std::string type_;
};

}  // namespace superlink
