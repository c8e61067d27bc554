#include "superlink/flower/version_profile.h"

#include <algorithm>
#include <array>

#include "flower_api/exit_code_tables.h"
#include "flower_api/fleet_api_names.h"

namespace superlink {
namespace {

using std::chrono::milliseconds;
using superlink_api::find_version;

const failpoint::SiteInfo kRestStart{"rest.start",
                                     "rest thread, before it binds the Fleet API port"};
const failpoint::SiteInfo kRestListen{"rest.listen", "rest thread, after the bind, before serving"};
const failpoint::SiteInfo kRestRequest{
    "rest.request",
    "rest server, each Fleet API request before routing (return(STATUS) answers STATUS)"};
const failpoint::SiteInfo kGrpcRequest{
    "grpc.request",
    "gRPC-rere Fleet API, each call before authentication (return(CODE) answers that gRPC status; "
    "panic answers UNKNOWN, as an exception in a handler: the server goes on)"};
const failpoint::SiteInfo kGrpcHandler{
    "grpc.handler",
    "gRPC-rere Fleet API, each authenticated call before the RPC's handler (as grpc.request)"};
const failpoint::SiteInfo kStartup{
    "superlink.startup",
    "main thread, once every server and critical thread started, before the signal handlers "
    "are installed (pause or sleep: a signal here meets no handler)"};

const std::array<failpoint::SiteInfo, 9> kSites_1_18{{
    {"scheduler.start", "scheduler thread, before its first tick"},
    {"scheduler.tick", "scheduler thread, at each tick (every 100 ms)"},
    {"scheduler.launch", "scheduler thread, before starting a ServerApp for a pending run"},
    kRestStart,
    kRestListen,
    kRestRequest,
    kGrpcRequest,
    kGrpcHandler,
    kStartup,
}};

const std::array<failpoint::SiteInfo, 7> kSites_1_26{{
    kRestStart,
    kRestListen,
    kRestRequest,
    kGrpcRequest,
    kGrpcHandler,
    kStartup,
    {"exit.handler",
     "flwr_exit, in the exit handlers after the exit block is logged (pause: the 5 s watchdog "
     "ends the process)"},
}};

const std::array<failpoint::SiteInfo, 2> kSuperexecSites_1_26{{
    {"superexec.start", "flower-superexec child, before it starts watching its parent"},
    {"superexec.poll",
     "flower-superexec child, each pass of its main loop (every 1 s, where the real one asks "
     "for runs to launch)"},
}};

// flwr/server/app.py's _parse_args_run_superlink at each tag.
constexpr std::array<std::string_view, 20> kPersonaFlags_1_18{
    "--insecure",
    "--flwr-dir",
    "--ssl-certfile",
    "--ssl-keyfile",
    "--ssl-ca-certfile",
    "--isolation",
    "--database",
    "--storage-dir",
    "--auth-list-public-keys",
    "--auth-superlink-private-key",
    "--auth-superlink-public-key",
    "--serverappio-api-address",
    "--fleet-api-type",
    "--fleet-api-address",
    "--fleet-api-num-workers",
    "--exec-api-address",
    "--executor",
    "--executor-dir",
    "--executor-config",
    "--simulationio-api-address",
};
constexpr std::array<std::string_view, 22> kPersonaFlags_1_26{
    "--insecure",
    "--flwr-dir",
    "--ssl-certfile",
    "--ssl-keyfile",
    "--ssl-ca-certfile",
    "--isolation",
    "--database",
    "--storage-dir",
    "--auth-list-public-keys",
    "--enable-supernode-auth",
    "--serverappio-api-address",
    "--fleet-api-type",
    "--fleet-api-address",
    "--fleet-api-num-workers",
    "--control-api-address",
    "--exec-api-address",
    "--executor",
    "--executor-dir",
    "--executor-config",
    "--simulation",
    "--simulationio-api-address",
    "--health-server-address",
};

const std::array<VersionProfile, 2> kProfiles{{
    {
        .name = "1.18",
        .release = "1.18.0",
        .control_api_line = "Flower Deployment Engine: Starting Exec API on {}",
        .serverappio_line = "Flower ECE: Starting ServerAppIo API (gRPC-rere) on {}",
        .fleet_grpc_rere_line = "Flower ECE: Starting Fleet API (gRPC-rere) on {}",
        .fleet_grpc_adapter_line = "Flower ECE: Starting Fleet API (GrpcAdapter) on {}",
        .logs_node_auth_debug = true,
        .persona_flags = kPersonaFlags_1_18,
        .scheduler_thread = true,
        .debug_warning_timestamped = false,
        .fleet_api_rest_line = 750,
        .fleet_routes = find_version("1.18")->fleet_routes,
        .exit_codes = kExitCodes_1_18,
        .help_url_prefix = "https://flower.ai/docs/framework/ref-exit-codes/",
        .forced_exit_after = milliseconds(0),
        .persona_refuses_port_zero = true,
        .sites = kSites_1_18,
        .superexec_sites = {},
        .logs_get_run_of_unknown_run = true,
    },
    {
        .name = "1.26",
        .release = "1.26.1",
        .control_api_line = "Flower Deployment Runtime: Starting Control API on {}",
        .serverappio_line = "Flower Deployment Runtime: Starting ServerAppIo API on {}",
        .fleet_grpc_rere_line = "Flower Deployment Runtime: Starting Fleet API (gRPC-rere) on {}",
        .fleet_grpc_adapter_line =
            "Flower Deployment Runtime: Starting Fleet API (GrpcAdapter) on {}",
        .logs_node_auth_debug = false,
        .persona_flags = kPersonaFlags_1_26,
        .scheduler_thread = false,
        .debug_warning_timestamped = true,
        .fleet_api_rest_line = 658,
        .fleet_routes = find_version("1.26")->fleet_routes,
        .exit_codes = kExitCodes_1_26,
        .help_url_prefix = "https://flower.ai/docs/framework/v1.26.1/en/ref-exit-codes/",
        .forced_exit_after = milliseconds(5000),
        .persona_refuses_port_zero = true,  // accepted from 1.28 on
        .sites = kSites_1_26,
        .superexec_sites = kSuperexecSites_1_26,
        .warns_supernode_auth_disabled = true,
    },
}};

const VersionProfile* g_active = &kProfiles[0];

bool has_site(std::span<const failpoint::SiteInfo> sites, std::string_view name) {
  for (const auto& site : sites) {
    if (site.name == name) return true;
  }
  return false;
}

}  // namespace

std::span<const VersionProfile> version_profiles() {
  return kProfiles;
}

const VersionProfile* find_version_profile(std::string_view name) {
  for (const VersionProfile& profile : kProfiles) {
    if (profile.name == name) return &profile;
  }
  return nullptr;
}

std::string known_versions() {
  std::string text;
  for (const VersionProfile& profile : kProfiles) {
    text += (text.empty() ? "" : ", ") + std::string(profile.name);
  }
  return text;
}

bool has_control_api_flag(const VersionProfile& profile) {
  const auto& flags = profile.persona_flags;
  return std::find(flags.begin(), flags.end(), "--control-api-address") != flags.end();
}

const VersionProfile& active_profile() {
  return *g_active;
}

void set_active_profile(const VersionProfile& profile) {
  g_active = &profile;
}

std::vector<failpoint::SiteInfo> all_sites(const VersionProfile& profile) {
  std::vector<failpoint::SiteInfo> sites(profile.sites.begin(), profile.sites.end());
  sites.insert(sites.end(), profile.superexec_sites.begin(), profile.superexec_sites.end());
  return sites;
}

std::string site_of_other_version(const VersionProfile& profile, std::string_view site) {
  if (has_site(profile.sites, site) || has_site(profile.superexec_sites, site)) return {};
  std::string owners;
  for (const VersionProfile& other : kProfiles) {
    if (has_site(other.sites, site) || has_site(other.superexec_sites, site)) {
      owners += (owners.empty() ? "" : ", ") + std::string(other.name);
    }
  }
  if (owners.empty()) return {};
  return "failpoint '" + std::string(site) + "' exists in Flower " + owners +
         " only; this SuperLink imitates Flower " + std::string(profile.name) +
         " (--flower-version)";
}

}  // namespace superlink
