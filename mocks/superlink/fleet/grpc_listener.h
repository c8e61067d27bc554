// A gRPC-type API (ServerAppIo, Exec, Fleet gRPC-rere/adapter) as the mock keeps it: a bound,
// listening TCP socket whose connections are accepted and closed at once. Enough for ports to
// be taken and reachable; no gRPC is spoken.
#pragma once

#include <string>

#include "superlink/fleet/address.h"

namespace superlink {

struct BindFailure {
  int error = 0;  // errno of the failing call
};

// Binds and listens on `address` (port 0: any free port); returns the address actually bound.
// Throws BindFailure.
Address bind_grpc_listener(const Address& address, const std::string& thread_name);

}  // namespace superlink
