#include "parse_request.h"

#include <CLI/CLI.hpp>
#include <charconv>

#include "cli/base/nearest.h"
#include "scenario/scenario_versions.h"
#include "selection/scenario_set.h"

namespace harness::cli {
namespace {

// Digits only (no sign, no spaces), within uint64.
std::optional<std::uint64_t> parse_seed(const std::string& text) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

constexpr const char* kExitStatuses =
    "Exit status: 0 every selected scenario passed (or was skipped); 1 at least one failed; 2 "
    "usage, file or harness error, a failpoint site the target does not have, or nothing "
    "selected.";

const std::vector<std::string> kCommands = {"run", "list", "check", "repro", "coverage"};

// The first word of the command line that is neither an option nor an option's value: what was
// meant as the command ("" when there is none).
std::string first_word(int argc, const char* const* argv, const CLI::App& app) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.starts_with("-")) {
      if (arg.find('=') != std::string::npos) continue;
      const CLI::Option* option = app.get_option_no_throw(arg);
      if (option != nullptr && option->get_type_size() != 0) ++i;  // its value
      continue;
    }
    return arg;
  }
  return "";
}

// Help for one command: its usage and positionals, then every option (they are the program's,
// accepted before or after the command), with their defaults, then the exit statuses.
std::string command_help(const CLI::App& app, const CLI::App& command) {
  CLI::Formatter formatter;
  return formatter.make_usage(&command, "superlink-harness " + command.get_name()) +
         formatter.make_description(&command) + formatter.make_positionals(&command) +
         formatter.make_groups(&app, CLI::AppFormatMode::Normal) + "\n" + kExitStatuses + "\n";
}

}  // namespace

ParsedRequest parse_request(int argc, const char* const* argv, std::ostream& out,
                            std::ostream& err) {
  CLI::App app{"Runs fault-injection scenarios against a SuperLink and judges how it ends.",
               "superlink-harness"};
  app.require_subcommand(1);
  app.fallthrough();  // options are accepted before or after the command

  Request request;
  std::vector<std::string> filters;
  std::string color = "auto";
  std::string seed;
  app.add_option("--target", request.target,
                 "Binary of the --target-kind (default: bin/mock-superlink, or the persona "
                 "bin/flower-superlink for flower)");
  std::string target_kind = "mock";
  app.add_option("--target-kind", target_kind,
                 "mock (every scenario) or flower (a SuperLink that takes only Flower's flags: "
                 "scenarios written for the mock are skipped)")
      ->check(CLI::IsMember({"mock", "flower"}))
      ->capture_default_str();
  auto* filter_option =
      app.add_option("--filter", filters, "Only scenarios whose group/name matches (glob, commas)")
          ->delimiter(',');
  app.add_option("--jobs,-j", request.jobs, "Scenarios run in parallel")
      ->check(CLI::Range(1, 256))
      ->default_str("32");
  auto* repeat_option = app.add_option("--repeat", request.repeat, "Run the set N times")
                            ->check(CLI::Range(1, 1000000))
                            ->capture_default_str();
  app.add_flag("--until-fail", request.until_fail,
               "Repeat until a round fails (at most --repeat rounds when given)");
  auto* seed_option = app.add_option("--seed", seed, "Seed for probabilistic failpoints");
  app.add_option("--junit", request.junit_file, "Write a JUnit XML report to FILE");
  app.add_option("--json", request.json_file, "Write a JSON report to FILE");
  app.add_flag("-v,--verbose", request.verbose, "Full report for passing scenarios too");
  app.add_option("--flower-version", request.flower_version,
                 "Run (check, cover) the scenarios for this Flower version; those whose "
                 "promise does not hold for it are skipped")
      ->check(CLI::IsMember(known_flower_versions()));
  app.add_option("--color", color, "auto (terminal and NO_COLOR unset), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  app.footer(kExitStatuses);

  auto* run = app.add_subcommand("run", "Run scenario files or folders");
  run->add_option("paths", request.paths, "Scenario files or folders")->required();
  auto* list = app.add_subcommand("list", "List scenarios: name, group, description");
  list->add_option("paths", request.paths, "Files or folders (default: ./scenarios)");
  std::string list_format = "text";
  list->add_option("--format", list_format,
                   "text (a table) or json (name, group, file, labels, timeout_ms, description)")
      ->check(CLI::IsMember({"text", "json"}));
  auto* check = app.add_subcommand("check", "Parse scenario files; run nothing");
  check->add_option("paths", request.paths, "Scenario files or folders")->required();
  auto* coverage = app.add_subcommand(
      "coverage", "Check that scenarios fire every failpoint site the target lists");
  coverage->add_option("paths", request.paths, "Files or folders (default: ./scenarios)");
  auto* repro = app.add_subcommand("repro", "Run one scenario with live output");
  std::string repro_file;
  repro->add_option("file", repro_file, "Scenario file")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    for (const CLI::App* command : app.get_subcommands()) {
      out << command_help(app, *command);
      return {std::nullopt, 0};
    }
    out << app.help();
    return {std::nullopt, 0};
  } catch (const CLI::ParseError& e) {
    if (app.get_subcommands().empty()) {
      const std::string word = first_word(argc, argv, app);
      if (!word.empty()) {
        err << "superlink-harness: unknown command '" << word << "'; did you mean '"
            << nearest(word, kCommands) << "'? (commands: run, list, check, repro, coverage)\n"
            << "Run 'superlink-harness --help' for usage.\n";
        return {std::nullopt, 2};
      }
    }
    err << "superlink-harness: " << e.what() << "\nRun 'superlink-harness --help' for usage.\n";
    return {std::nullopt, 2};
  }

  if (run->parsed()) request.command = Command::Run;
  if (list->parsed()) request.command = Command::List;
  if (check->parsed()) request.command = Command::Check;
  if (coverage->parsed()) request.command = Command::Coverage;
  if (repro->parsed()) {
    request.command = Command::Repro;
    request.paths = {repro_file};
  }
  if ((request.command == Command::List || request.command == Command::Coverage) &&
      request.paths.empty()) {
    request.paths = {"scenarios"};
  }
  if (seed_option->count() > 0) {
    const auto parsed_seed = parse_seed(seed);
    if (!parsed_seed) {
      err << "superlink-harness: --seed: '" << seed
          << "' is not a whole number from 0 to 18446744073709551615\nRun 'superlink-harness "
             "--help' for usage.\n";
      return {std::nullopt, 2};
    }
    request.seed = parsed_seed;
  }
  request.filters = split_filters(filters);
  if (filter_option->count() > 0 && request.filters.empty()) {
    err << "superlink-harness: --filter: no pattern given (an empty --filter would select "
           "nothing)\nRun 'superlink-harness --help' for usage.\n";
    return {std::nullopt, 2};
  }
  if (request.until_fail && repeat_option->count() == 0) request.repeat = 0;  // no cap
  if (list_format == "json") request.list_format = ListFormat::Json;
  request.target_kind_flower = target_kind == "flower";
  request.color = color == "always"  ? ColorMode::Always
                  : color == "never" ? ColorMode::Never
                                     : ColorMode::Auto;
  return {request, 0};
}

}  // namespace harness::cli
