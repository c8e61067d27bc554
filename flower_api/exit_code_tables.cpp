#include "flower_api/exit_code_tables.h"

namespace superlink {

// Flower 1.18's help texts (ref-exit-codes), word for word.
const std::array<ExitCodeInfo, 9> kExitCodes_1_18{{
    {exit_code::kSuccess, "SUCCESS", ""},
    {exit_code::kGracefulSigint, "GRACEFUL_EXIT_SIGINT", ""},
    {exit_code::kGracefulSigquit, "GRACEFUL_EXIT_SIGQUIT", ""},
    {exit_code::kGracefulSigterm, "GRACEFUL_EXIT_SIGTERM", ""},
    {exit_code::kThreadCrash, "SUPERLINK_THREAD_CRASH",
     "An important background thread has crashed."},
    {exit_code::kInvalidArgs, "SUPERLINK_INVALID_ARGS",
     "Invalid arguments provided to SuperLink. Use `--help` check for the correct usage. "
     "Alternatively, check the documentation."},
    {exit_code::kAddressInvalid, "COMMON_ADDRESS_INVALID",
     "Please provide a valid URL, IPv4 or IPv6 address."},
    {exit_code::kMissingExtraRest, "COMMON_MISSING_EXTRA_REST",
     "Extra dependencies required for using the REST-based Fleet API are missing.\n\n"
     "To use the REST API, install `flwr[rest]` package."},
    {exit_code::kTlsNotSupported, "COMMON_TLS_NOT_SUPPORTED", "Please use the '--insecure' flag."},
}};

// Flower 1.26.1's table (flwr/common/exit/exit_code.py at v1.26.1): what its flwr_exit prints
// after `Exit Code: N`, so the same words as the real one.
const std::array<ExitCodeInfo, 24> kExitCodes_1_26{{
    {0, "SUCCESS", ""},
    {1, "GRACEFUL_EXIT_SIGINT", ""},
    {2, "GRACEFUL_EXIT_SIGQUIT", ""},
    {3, "GRACEFUL_EXIT_SIGTERM", ""},
    {100, "SUPERLINK_THREAD_CRASH", "An important background thread has crashed."},
    {101, "SUPERLINK_LICENSE_INVALID",
     "The license is invalid or has expired. Please contact `hello@flower.ai` for assistance."},
    {102, "SUPERLINK_LICENSE_MISSING",
     "The license is missing. Please specify the license key by setting the environment "
     "variable `FLWR_LICENSE_KEY`."},
    {103, "SUPERLINK_LICENSE_URL_INVALID",
     "The license URL is invalid. Please ensure that the `FLWR_LICENSE_URL` environment "
     "variable is set to a valid URL."},
    {104, "SUPERLINK_INVALID_ARGS",
     "Invalid arguments provided to SuperLink. Use `--help` check for the correct usage. "
     "Alternatively, check the documentation."},
    {105, "SUPERLINK_DATABASE_SCHEMA_MISMATCH",
     "The database schema does not match the expected schema for this version of SuperLink. "
     "Please refer to the documentation for guidance on how to resolve this issue."},
    {200, "SERVERAPP_STRATEGY_PRECONDITION_UNMET",
     "The strategy received replies that cannot be aggregated. Please ensure all replies "
     "returned by ClientApps have one `ArrayRecord` (none when replies are from a round of "
     "federated evaluation, i.e. when message type is `MessageType.EVALUATE`) and one "
     "`MetricRecord`. The records in all replies must use identical keys. In addition, if the "
     "strategy expects a key to perform weighted average (e.g. in FedAvg) please ensure the "
     "returned MetricRecord from ClientApps do include this key."},
    {201, "SERVERAPP_EXCEPTION", "An unhandled exception occurred in the ServerApp."},
    {202, "SERVERAPP_STRATEGY_AGGREGATION_ERROR",
     "The strategy encountered an error during aggregation. Please check the logs for more "
     "details."},
    {203, "SERVERAPP_RUN_START_REJECTED",
     "The SuperLink rejected the request to start the run. This may occur if the run has been "
     "stopped, the run ID or FAB is invalid, or the run failed to start within the allowed "
     "time."},
    {300, "SUPERNODE_REST_ADDRESS_INVALID",
     "When using the REST API, please provide `https://` or `http://` before the server "
     "address (e.g. `http://127.0.0.1:8080`)"},
    {302, "SUPERNODE_NODE_AUTH_KEY_INVALID",
     "Node authentication requires elliptic curve private key. Please ensure that the file "
     "path points to a valid private key file and try again."},
    {303, "SUPERNODE_STARTED_WITHOUT_TLS_BUT_NODE_AUTH_ENABLED",
     "The private key for SuperNode authentication was provided, but TLS is not enabled. Node "
     "authentication can only be used when TLS is enabled."},
    {304, "SUPERNODE_INVALID_TRUSTED_ENTITIES",
     "Failed to read the trusted entities YAML file. Please ensure that a valid file is "
     "provided using the `--trusted-entities` option."},
    {400, "SUPEREXEC_INVALID_PLUGIN_CONFIG",
     "The YAML configuration for the SuperExec plugin is invalid."},
    {500, "FLWRCLI_NODE_AUTH_PUBLIC_KEY_INVALID",
     "Node authentication requires a valid elliptic curve public key in the SSH format and "
     "following a NIST standard elliptic curve (e.g. SECP384R1). Please ensure that the file "
     "path points to a valid public key file and try again."},
    {600, "COMMON_ADDRESS_INVALID", "Please provide a valid URL, IPv4 or IPv6 address."},
    {601, "COMMON_MISSING_EXTRA_REST",
     "\nExtra dependencies required for using the REST-based Fleet API are missing.\n\n"
     "To use the REST API, install `flwr` with the `rest` extra:\n\n"
     "    `pip install \"flwr[rest]\"`.\n"},
    {602, "COMMON_TLS_NOT_SUPPORTED", "Please use the '--insecure' flag."},
    {700, "SIMULATION_EXCEPTION", "An unhandled exception occurred when running the simulation."},
}};

}  // namespace superlink
