// mock-serverapp: what the mock SuperLink's scheduler starts for each pending run. It checks
// its command line (the one the real SuperLink gives flwr-serverapp), logs one line and exits 0.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "superlink/flower/flower_log.h"

int main(int argc, char** argv) {
  superlink::install_flower_logger(superlink::log_settings_from_env().settings);
  CLI::App app{"Mock Flower ServerApp: runs once and exits.", "mock-serverapp"};
  bool run_once = false;
  bool insecure = false;
  std::string address = "127.0.0.1:9091";
  app.add_flag("--run-once", run_once, "Run one pending run, then exit");
  app.add_flag("--insecure", insecure, "Connect without TLS");
  app.add_option("--serverappio-api-address", address, "ServerAppIo API address")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  spdlog::info("mock-serverapp: run-once against ServerAppIo API {}", address);
  return 0;
}
