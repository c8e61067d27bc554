// A Fleet API message made by its type name ("PullMessagesRequest"), for the code that handles
// any RPC alike: the mock's gRPC server and the harness's gRPC client. Part of fleet_proto.
#pragma once

#include <google/protobuf/message.h>

#include <memory>
#include <string_view>

namespace superlink {

// A new, empty flwr.proto.TYPE; nullptr when fleet.proto has no such message.
std::unique_ptr<google::protobuf::Message> new_fleet_message(std::string_view type);

}  // namespace superlink
