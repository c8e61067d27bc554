// Node authentication on the gRPC-rere Fleet API as the real SuperLink checks it: a SuperNode
// sends its public key (PEM, SubjectPublicKeyInfo), an ISO 8601 timestamp and the timestamp's
// ECDSA-SHA256 signature in every call's metadata (docs/mock-superlink.md, "gRPC-rere").
#pragma once

#include <string>

namespace superlink {

inline constexpr const char* kPublicKeyHeader = "flwr-public-key-bin";
inline constexpr const char* kTimestampHeader = "flwr-timestamp";
inline constexpr const char* kSignatureHeader = "flwr-signature-bin";

// Whether `signature` (DER) is `message` signed with the EC key `public_key_pem`. Throws
// PythonError("ValueError") when the key does not load as an EC public key, where the real
// one's cryptography raises.
bool verify_node_signature(const std::string& public_key_pem, const std::string& message,
                           const std::string& signature);

// Seconds from `timestamp` (Python's datetime.fromisoformat forms with an offset:
// 2026-12-07T05:43:08.123456+00:00, or Z) to now. Throws PythonError("ValueError") for a
// string that is no ISO time, PythonError("TypeError") for one without an offset (Python
// cannot subtract a naive time from an aware one).
double seconds_since(const std::string& timestamp);

}  // namespace superlink
