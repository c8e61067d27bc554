// The Fleet API on gRPC-rere, as the active version's real SuperLink serves it: every RPC of its
// `flwr.proto.Fleet` service over libgrpc++ (a generic service, so a call to any other path is
// answered as the real one answers it), node authentication from each call's metadata, the real
// one's status codes, details and INFO/DEBUG lines, on the same state as the REST Fleet API.
// Not a critical thread, as in Flower: a handler that fails answers UNKNOWN and the server goes
// on. Failpoint sites: grpc.request (each call, before authentication) and grpc.handler (after
// authentication, before the RPC's handler). docs/mock-superlink.md, "Fleet API on gRPC-rere".
#pragma once

#include <memory>

#include "superlink/fleet/address.h"
#include "superlink/state/link_state.h"

namespace superlink {

class GrpcFleetServer {
 public:
  explicit GrpcFleetServer(StateFactory& states);
  ~GrpcFleetServer();
  GrpcFleetServer(const GrpcFleetServer&) = delete;
  GrpcFleetServer& operator=(const GrpcFleetServer&) = delete;

  // Binds `address` (port 0: any free port) and serves on gRPC's own threads; returns the
  // address bound. Throws BindFailure (superlink/grpc_listener.h) when it cannot bind.
  Address start(const Address& address);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace superlink
