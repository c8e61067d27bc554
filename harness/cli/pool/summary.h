// The end of `run`: a table of every run, the slowest ten, a recap of the runs that did not pass
// (each with its first failure and the command that reruns it), and "N passed, M failed".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "verdict/scenario_outcome.h"

namespace harness::cli {

struct SummaryOptions {
  // The options a rerun of one scenario must repeat (--target, --target-kind, --flower-version),
  // shell-quoted, each after a space. The seed each run used is added from the run itself.
  std::string rerun_flags;
};

// Lines, each ending in '\n'. The last line is exactly "N passed, M failed" (harness errors count
// as failed and are also named on the line before). A run of one scenario gets no table and no
// list of the slowest; skipped runs are never among the slowest.
std::string summary_text(const std::vector<ScenarioOutcome>& outcomes,
                         const SummaryOptions& options = {});

// `word` as one shell word: as is when it holds only safe characters, else in single quotes.
std::string shell_word(const std::string& word);

// The seed a run's target got (`--seed N`, or SUPERLINK_SEED), when it got one.
std::optional<std::string> seed_of(const RunResult& result);

}  // namespace harness::cli
