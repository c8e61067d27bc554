#include "superlink/app/persona_options.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "superlink/flower/version_profile.h"

namespace superlink {
namespace {

struct Flag {
  std::string_view name;
  bool takes_value = true;
  std::vector<std::string_view> choices;  // empty: any value
  bool integer = false;
  std::function<void(Options&, const std::string&)> store;
};

// Every flag of any version, and what the persona does with it; the active profile's
// persona_flags say which of them its flower-superlink has, and in which order.
std::vector<Flag> known_flags() {
  const auto text = [](std::string Options::*field) {
    return [field](Options& o, const std::string& v) { o.*field = v; };
  };
  // Taken so that a real command line parses; what they change is not imitated.
  const auto ignored = [](Options&, const std::string&) {};
  return {
      {"--help", false, {}, false, ignored},
      {"--enable-supernode-auth", false, {}, false, ignored},
      {"--simulation", false, {}, false, ignored},
      {"--health-server-address", true, {}, false, ignored},
      {"--insecure", false, {}, false, [](Options& o, const std::string&) { o.insecure = true; }},
      {"--flwr-dir", true, {}, false, text(&Options::flwr_dir)},
      {"--ssl-certfile", true, {}, false, text(&Options::ssl_certfile)},
      {"--ssl-keyfile", true, {}, false, text(&Options::ssl_keyfile)},
      {"--ssl-ca-certfile", true, {}, false, text(&Options::ssl_ca_certfile)},
      {"--isolation", true, {"subprocess", "process"}, false, text(&Options::isolation)},
      {"--database", true, {}, false, text(&Options::database)},
      {"--storage-dir", true, {}, false, text(&Options::storage_dir)},
      {"--auth-list-public-keys", true, {}, false, ignored},
      {"--auth-superlink-private-key", true, {}, false, ignored},
      {"--auth-superlink-public-key", true, {}, false, ignored},
      {"--serverappio-api-address", true, {}, false, text(&Options::serverappio_api_address)},
      {"--fleet-api-type",
       true,
       {"grpc-rere", "grpc-adapter", "rest"},
       false,
       text(&Options::fleet_api_type)},
      {"--fleet-api-address", true, {}, false, text(&Options::fleet_api_address)},
      {"--fleet-api-num-workers",
       true,
       {},
       true,
       [](Options& o, const std::string& v) { o.fleet_api_num_workers = std::stoi(v); }},
      {"--exec-api-address",
       true,
       {},
       false,
       [](Options& o, const std::string& v) {
         o.exec_api_address = v;
         o.exec_api_address_given = true;
       }},
      {"--control-api-address",
       true,
       {},
       false,
       [](Options& o, const std::string& v) {
         o.control_api_address = v;
         o.control_api_address_given = true;
       }},
      {"--executor", true, {}, false, ignored},
      {"--executor-dir", true, {}, false, ignored},
      {"--executor-config", true, {}, false, ignored},
      {"--simulationio-api-address", true, {}, false, text(&Options::simulationio_api_address)},
  };
}

// argparse's int(): an optional sign and digits, within int range.
bool is_int(const std::string& value) {
  std::string_view digits = value;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) digits.remove_prefix(1);
  int parsed = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), parsed);
  return !digits.empty() && error == std::errc{} && end == digits.data() + digits.size();
}

// argparse takes "-5" or "-.5" as a value (the parser has no option that looks like one) and
// any other word starting with '-' as an option.
bool looks_like_option(std::string_view arg) {
  if (arg.size() < 2 || arg.front() != '-') return false;
  std::string_view rest = arg.substr(1);
  const bool number = rest.find_first_not_of("0123456789.") == std::string_view::npos &&
                      rest.find_first_of("0123456789") != std::string_view::npos;
  return !number;
}

std::string quoted_choices(const std::vector<std::string_view>& choices) {
  std::string text;
  for (const auto choice : choices) {
    text += (text.empty() ? "'" : ", '") + std::string(choice) + "'";
  }
  return text;
}

// -h/--help, then the active profile's flags, in its order.
std::vector<Flag> persona_flags() {
  std::vector<Flag> known = known_flags();
  std::vector<Flag> flags;
  const auto take = [&](std::string_view name) {
    const auto it = std::find_if(known.begin(), known.end(),
                                 [&](const Flag& flag) { return flag.name == name; });
    if (it == known.end()) throw std::logic_error("persona flag " + std::string(name) + " unknown");
    flags.push_back(*it);
  };
  take("--help");
  for (const std::string_view name : active_profile().persona_flags) take(name);
  return flags;
}

// argparse's usage part of one option: "[--insecure]", "[--isolation {subprocess,process}]",
// "[--database DATABASE]" (the metavar is the name without dashes, upper case, '-' as '_').
std::string usage_part(const Flag& flag) {
  if (flag.name == "--help") return "[-h]";
  std::string part = "[" + std::string(flag.name);
  if (flag.takes_value) {
    part += ' ';
    if (!flag.choices.empty()) {
      part += '{';
      for (std::size_t i = 0; i < flag.choices.size(); ++i) {
        part += (i == 0 ? "" : ",") + std::string(flag.choices[i]);
      }
      part += '}';
    } else {
      for (const char c : flag.name.substr(2)) {
        part += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
    }
  }
  return part + "]";
}

// argparse fills lines up to its text width, 78 columns on an 80-column terminal, indenting
// the continuation lines under the first part.
std::string usage_text(const std::vector<Flag>& flags) {
  constexpr std::size_t kWidth = 78;
  const std::string prefix = "usage: flower-superlink ";
  std::string text = prefix;
  std::size_t line = prefix.size();
  bool first = true;
  for (const Flag& flag : flags) {
    const std::string part = usage_part(flag);
    if (!first && line + 1 + part.size() > kWidth) {
      text += "\n" + std::string(prefix.size(), ' ');
      line = prefix.size();
      first = true;
    }
    if (!first) {
      text += ' ';
      ++line;
    }
    text += part;
    line += part.size();
    first = false;
  }
  return text + "\n";
}

std::string help_text(const std::vector<Flag>& flags) {
  return usage_text(flags) +
         "\nStart a Flower SuperLink (the mock SuperLink under Flower's name: " +
         "the flags of Flower " + std::string(active_profile().release) +
         ";\nthe mock's own settings come from FAILPOINTS, SUPERLINK_READY_FILE and\n"
         "SUPERLINK_FAULT_JOURNAL)\n\noptions:\n"
         "  -h, --help            show this help message and exit\n";
}

class Parser {
 public:
  Parser() : flags_(persona_flags()) {}

  ParseResult parse(int argc, const char* const* argv) {
    result_.options.exit_status = ExitStatusMode::kFlower;
    result_.options.persona = true;
    std::vector<std::string> extras;
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      if (arg == "--") {
        for (++i; i < argc; ++i) extras.emplace_back(argv[i]);
        break;
      }
      if (arg == "-h") return help();
      if (!arg.starts_with("--") || arg.size() == 2) {
        extras.push_back(arg);
        continue;
      }
      const auto equals = arg.find('=');
      const std::string name = arg.substr(0, equals);
      const Flag* flag = nullptr;
      if (!find(arg, name, flag)) return result_;
      if (flag == nullptr) {
        extras.push_back(arg);
        continue;
      }
      if (flag->name == "--help") return help();
      std::string value;
      if (!flag->takes_value) {
        if (equals != std::string::npos) {
          return error("argument " + std::string(flag->name) + ": ignored explicit argument '" +
                       arg.substr(equals + 1) + "'");
        }
      } else if (equals != std::string::npos) {
        value = arg.substr(equals + 1);
      } else if (i + 1 < argc && !looks_like_option(argv[i + 1])) {
        value = argv[++i];
      } else {
        return error("argument " + std::string(flag->name) + ": expected one argument");
      }
      if (!check(*flag, value)) return result_;
      flag->store(result_.options, value);
    }
    if (!extras.empty()) {
      std::string joined;
      for (const auto& extra : extras) joined += (joined.empty() ? "" : " ") + extra;
      return error("unrecognized arguments: " + joined);
    }
    Options& o = result_.options;
    if (o.fleet_api_address.empty()) {
      o.fleet_api_address =
          o.fleet_api_type == "rest" ? kDefaultFleetRestAddress : kDefaultFleetGrpcAddress;
    }
    return result_;
  }

 private:
  // An exact name, else a unique prefix (argparse's allow_abbrev). False after an ambiguity
  // error; `flag` stays null for an unknown name.
  bool find(const std::string& arg, const std::string& name, const Flag*& flag) {
    std::vector<const Flag*> prefixed;
    for (const Flag& candidate : flags_) {
      if (candidate.name == name) {
        flag = &candidate;
        return true;
      }
      if (candidate.name.starts_with(name)) prefixed.push_back(&candidate);
    }
    if (prefixed.size() == 1) flag = prefixed.front();
    if (prefixed.size() > 1) {
      std::string names;
      for (const Flag* candidate : prefixed) {
        names += (names.empty() ? "" : ", ") + std::string(candidate->name);
      }
      error("ambiguous option: " + arg + " could match " + names);
      return false;
    }
    return true;
  }

  bool check(const Flag& flag, const std::string& value) {
    const std::string argument = "argument " + std::string(flag.name) + ": ";
    if (flag.integer && !is_int(value)) {
      error(argument + "invalid int value: '" + value + "'");
      return false;
    }
    if (!flag.choices.empty() &&
        std::find(flag.choices.begin(), flag.choices.end(), value) == flag.choices.end()) {
      error(argument + "invalid choice: '" + value + "' (choose from " +
            quoted_choices(flag.choices) + ")");
      return false;
    }
    return true;
  }

  const ParseResult& error(const std::string& message) {
    result_.kind = ParseResult::Kind::kUsageError;
    result_.text = usage_text(flags_) + "flower-superlink: error: " + message + "\n";
    return result_;
  }

  ParseResult help() {
    result_.kind = ParseResult::Kind::kPrint;
    result_.text = help_text(flags_);
    return result_;
  }

  std::vector<Flag> flags_;
  ParseResult result_;
};

}  // namespace

std::string persona_usage() {
  return usage_text(persona_flags());
}

bool started_as_persona(std::string_view argv0) {
  const auto slash = argv0.rfind('/');
  return argv0.substr(slash == std::string_view::npos ? 0 : slash + 1) == "flower-superlink";
}

ParseResult parse_persona_options(int argc, const char* const* argv) {
  return Parser().parse(argc, argv);
}

}  // namespace superlink
