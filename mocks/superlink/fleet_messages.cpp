#include "superlink/fleet_messages.h"

namespace superlink::fleet {
namespace {

using wire::DecodeError;
using wire::Field;
using wire::Reader;
using wire::WireType;
using wire::Writer;

// Calls on_field for each field; unknown fields are skipped, as protobuf does.
template <typename OnField>
void for_each_field(std::string_view bytes, std::string_view name, OnField on_field) {
  try {
    Reader reader(bytes);
    Field field;
    while (reader.next(field)) on_field(field);
  } catch (const DecodeError& e) {
    const std::string what = e.what();
    if (what.rfind(std::string(name), 0) == 0) throw;
    throw DecodeError(std::string(name) + ": " + what);
  }
}

Node decode_node(const Field& field, std::string_view name) {
  field.expect(WireType::kLengthDelimited, name);
  Node node;
  for_each_field(field.bytes, "Node", [&](const Field& f) {
    if (f.field == 1) {
      f.expect(WireType::kVarint, "Node");
      node.node_id = f.number;
    }
  });
  return node;
}

std::string encode_node(const Node& node) {
  Writer writer;
  if (node.node_id != 0) writer.varint_field(1, node.node_id);
  return writer.bytes();
}

}  // namespace

CreateNodeRequest decode_create_node_request(std::string_view bytes) {
  CreateNodeRequest message;
  for_each_field(bytes, "CreateNodeRequest", [&](const Field& f) {
    if (f.field == 1) {
      f.expect(WireType::kFixed64, "CreateNodeRequest");
      message.ping_interval = f.as_double();
    }
  });
  return message;
}

DeleteNodeRequest decode_delete_node_request(std::string_view bytes) {
  DeleteNodeRequest message;
  for_each_field(bytes, "DeleteNodeRequest", [&](const Field& f) {
    if (f.field == 1) message.node = decode_node(f, "DeleteNodeRequest");
  });
  return message;
}

PullMessagesRequest decode_pull_messages_request(std::string_view bytes) {
  PullMessagesRequest message;
  for_each_field(bytes, "PullMessagesRequest", [&](const Field& f) {
    if (f.field == 1) message.node = decode_node(f, "PullMessagesRequest");
    if (f.field == 2) {
      f.expect(WireType::kLengthDelimited, "PullMessagesRequest");
      message.message_ids.emplace_back(f.bytes);
    }
  });
  return message;
}

PushMessagesRequest decode_push_messages_request(std::string_view bytes) {
  PushMessagesRequest message;
  for_each_field(bytes, "PushMessagesRequest", [&](const Field& f) {
    if (f.field == 1) message.node = decode_node(f, "PushMessagesRequest");
    if (f.field == 2) {
      f.expect(WireType::kLengthDelimited, "PushMessagesRequest");
      message.messages_list.emplace_back(f.bytes);
    }
  });
  return message;
}

PingRequest decode_ping_request(std::string_view bytes) {
  PingRequest message;
  for_each_field(bytes, "PingRequest", [&](const Field& f) {
    if (f.field == 1) message.node = decode_node(f, "PingRequest");
    if (f.field == 2) {
      f.expect(WireType::kFixed64, "PingRequest");
      message.ping_interval = f.as_double();
    }
  });
  return message;
}

GetRunRequest decode_get_run_request(std::string_view bytes) {
  GetRunRequest message;
  for_each_field(bytes, "GetRunRequest", [&](const Field& f) {
    if (f.field == 1) message.node = decode_node(f, "GetRunRequest");
    if (f.field == 2) {
      f.expect(WireType::kVarint, "GetRunRequest");
      message.run_id = f.number;
    }
  });
  return message;
}

GetFabRequest decode_get_fab_request(std::string_view bytes) {
  GetFabRequest message;
  for_each_field(bytes, "GetFabRequest", [&](const Field& f) {
    if (f.field == 1) message.node = decode_node(f, "GetFabRequest");
    if (f.field == 2) {
      f.expect(WireType::kLengthDelimited, "GetFabRequest");
      message.hash_str = std::string(f.bytes);
    }
    if (f.field == 3) {
      f.expect(WireType::kVarint, "GetFabRequest");
      message.run_id = f.number;
    }
  });
  return message;
}

std::string encode(const CreateNodeRequest& message) {
  Writer writer;
  if (message.ping_interval != 0) writer.double_field(1, message.ping_interval);
  return writer.bytes();
}

std::string encode(const PingRequest& message) {
  Writer writer;
  writer.bytes_field(1, encode_node(message.node));
  if (message.ping_interval != 0) writer.double_field(2, message.ping_interval);
  return writer.bytes();
}

std::string encode(const CreateNodeResponse& message) {
  Writer writer;
  writer.bytes_field(1, encode_node(message.node));
  return writer.bytes();
}

std::string encode(const PingResponse& message) {
  Writer writer;
  if (message.success) writer.varint_field(1, 1);
  return writer.bytes();
}

std::string encode(const GetRunResponse& message) {
  Writer run;
  if (message.run_id != 0) run.varint_field(1, message.run_id);
  Writer writer;
  writer.bytes_field(1, run.bytes());
  return writer.bytes();
}

std::string encode(const GetFabResponse& message) {
  Writer fab;
  if (!message.hash_str.empty()) fab.bytes_field(1, message.hash_str);
  if (!message.content.empty()) fab.bytes_field(2, message.content);
  Writer writer;
  writer.bytes_field(1, fab.bytes());
  return writer.bytes();
}

CreateNodeResponse decode_create_node_response(std::string_view bytes) {
  CreateNodeResponse message;
  for_each_field(bytes, "CreateNodeResponse", [&](const Field& f) {
    if (f.field == 1) message.node = decode_node(f, "CreateNodeResponse");
  });
  return message;
}

PingResponse decode_ping_response(std::string_view bytes) {
  PingResponse message;
  for_each_field(bytes, "PingResponse", [&](const Field& f) {
    if (f.field == 1) {
      f.expect(WireType::kVarint, "PingResponse");
      message.success = f.number != 0;
    }
  });
  return message;
}

}  // namespace superlink::fleet
