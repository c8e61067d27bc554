#include "target_choice.h"

#include "engine/default_binaries.h"

namespace harness::cli {

RunOptions target_run_options(const Request& request) {
  RunOptions options;
  options.target_kind = request.target_kind_flower ? TargetKind::Flower : TargetKind::Mock;
  options.mock_binary = target_binary(request, TargetKind::Mock);
  options.flower_binary = target_binary(request, TargetKind::Flower);
  options.seed = request.seed;
  return options;
}

std::string target_binary(const Request& request, TargetKind kind) {
  const bool given =
      !request.target.empty() && request.target_kind_flower == (kind == TargetKind::Flower);
  if (given) return request.target;
  return kind == TargetKind::Flower ? default_flower_binary() : default_mock_binary();
}

}  // namespace harness::cli
