#include "flower_api/fleet_messages.h"

#include <google/protobuf/descriptor.h>

#include <string>

#include "flower_api/fleet.pb.h"

namespace superlink {

std::unique_ptr<google::protobuf::Message> new_fleet_message(std::string_view type) {
  // Names a generated type, so a static link keeps fleet.pb.o and its descriptors registered.
  static const auto* const kLinked = flwr::proto::Node::descriptor();
  static_cast<void>(kLinked);
  const auto* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName("flwr.proto." +
                                                                                std::string(type));
  if (descriptor == nullptr) return nullptr;
  return std::unique_ptr<google::protobuf::Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor)->New());
}

}  // namespace superlink
