#include "cli.h"

#include "cli/commands/commands.h"
#include "cli/target_program/target_sites.h"
#include "parse_request.h"

namespace harness::cli {
namespace {

bool use_color(ColorMode mode, const Environment& env) {
  switch (mode) {
    case ColorMode::Always:
      return true;
    case ColorMode::Never:
      return false;
    case ColorMode::Auto:
      break;
  }
  // https://no-color.org: any value, even empty, turns colours off.
  return env.stdout_is_tty && env.getenv("NO_COLOR") == nullptr;
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
            const Backend& backend, const Environment& env) {
  const ParsedRequest parsed = parse_request(argc, argv, out, err);
  if (!parsed.request) return parsed.exit_status;
  Request request = *parsed.request;
  request.site_cache_dir = site_cache_dir(env.getenv);
  const Streams streams{out, err, use_color(request.color, env)};
  switch (request.command) {
    case Command::Run:
      return run_command(request, backend, env, streams);
    case Command::Repro:
      return repro_command(request, backend, streams);
    case Command::List:
      return list_command(request, backend, streams);
    case Command::Check:
      return check_command(request, backend, streams);
    case Command::Coverage:
      return coverage_command(request, backend, streams);
  }
  return kExitError;
}

}  // namespace harness::cli
