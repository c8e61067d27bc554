// `{name}` in a target's command, args and env: the run's ports and paths, filled in by the
// harness (docs/scenario-format.md, "Substitutions"). `{{name}}` is the literal `{name}`; any
// other brace is literal (`${...}` for the shell, JSON's `}}`).
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace harness {

inline constexpr std::array<std::string_view, 13> kSubstitutions = {"fleet_address",
                                                                    "fleet_port",
                                                                    "serverappio_address",
                                                                    "serverappio_port",
                                                                    "exec_address",
                                                                    "exec_port",
                                                                    "simulationio_address",
                                                                    "database",
                                                                    "work_dir",
                                                                    "ready_file",
                                                                    "journal",
                                                                    "seed",
                                                                    "target"};

// The first `{name}` of `text` whose name is not one of kSubstitutions, with its offset.
struct UnknownSubstitution {
  std::string name;
  std::size_t offset = 0;
};
std::optional<UnknownSubstitution> find_unknown_substitution(std::string_view text);

// Whether `text` uses `{name}`.
bool uses_substitution(std::string_view text, std::string_view name);

// `text` with every `{name}` replaced by values.at(name) (a name without a value becomes "")
// and `{{name}}` by `{name}`.
std::string substitute(std::string_view text, const std::map<std::string, std::string>& values);

}  // namespace harness
