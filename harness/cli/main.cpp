// superlink-harness: everything happens in the cli library.
#include <iostream>

#include "cli.h"
#include "real_backend.h"

int main(int argc, char** argv) {
  namespace cli = harness::cli;
  return cli::run_cli(argc, argv, std::cout, std::cerr, cli::real_backend(),
                      cli::process_environment());
}
