#include "scenario_toml_reader.h"

namespace harness::internal {

std::string a_type(toml::node_type type) {
  switch (type) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

// Text from the file as an error message shows it: at most kShownBytes, then how long it was.
std::string shortened(std::string_view text) {
  if (text.size() <= kShownBytes) return std::string(text);
  return std::string(text.substr(0, kShownBytes)) + "... (" + std::to_string(text.size()) +
         " bytes)";
}

std::string in_quotes(std::string_view raw) {
  const std::string text = shortened(raw);
  // Built by appending: g++ 12 warns (-Wrestrict, a false positive) on "\"" + std::string&&.
  std::string quoted;
  quoted.reserve(text.size() + 2);
  quoted.append(1, '"').append(text).append(1, '"');
  return quoted;
}

}  // namespace harness::internal
