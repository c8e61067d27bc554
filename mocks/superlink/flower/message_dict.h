// How the real SuperLink prints a protobuf message in its DEBUG lines: Python's repr of
// google.protobuf.json_format.MessageToDict(message) - set fields only, camelCase names, 64-bit
// integers as strings, bytes as base64 - e.g. {'node': {'nodeId': '42'}, 'pingInterval': 30.0}.
#pragma once

#include <string>

namespace google::protobuf {
class Message;
}

namespace superlink {

std::string python_message_dict(const google::protobuf::Message& message);

// Python's str() of a float: 30.0, 0.1, 1e+16, inf, nan.
std::string python_float(double value);

}  // namespace superlink
