#include "superlink/flower/message_dict.h"

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/reflection.h>

#include <cmath>
#include <vector>

namespace superlink {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::string python_str_repr(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "'";
}

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(n >> shift) & 63];
  }
  if (i + 1 == bytes.size()) {
    const unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string dict(const Message& message);

// MessageToDict's value for a double: a float, or the strings 'NaN', 'Infinity', '-Infinity'.
std::string json_double(double value) {
  if (std::isnan(value)) return "'NaN'";
  if (std::isinf(value)) return value > 0 ? "'Infinity'" : "'-Infinity'";
  return python_float(value);
}

std::string value(const Message& message, const FieldDescriptor* field, int index) {
  const auto* reflection = message.GetReflection();
  const bool repeated = index >= 0;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return std::to_string(repeated ? reflection->GetRepeatedInt32(message, field, index)
                                     : reflection->GetInt32(message, field));
    case FieldDescriptor::CPPTYPE_UINT32:
      return std::to_string(repeated ? reflection->GetRepeatedUInt32(message, field, index)
                                     : reflection->GetUInt32(message, field));
    case FieldDescriptor::CPPTYPE_INT64:
      return "'" +
             std::to_string(repeated ? reflection->GetRepeatedInt64(message, field, index)
                                     : reflection->GetInt64(message, field)) +
             "'";
    case FieldDescriptor::CPPTYPE_UINT64:
      return "'" +
             std::to_string(repeated ? reflection->GetRepeatedUInt64(message, field, index)
                                     : reflection->GetUInt64(message, field)) +
             "'";
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return json_double(repeated ? reflection->GetRepeatedDouble(message, field, index)
                                  : reflection->GetDouble(message, field));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return json_double(repeated ? reflection->GetRepeatedFloat(message, field, index)
                                  : reflection->GetFloat(message, field));
    case FieldDescriptor::CPPTYPE_BOOL:
      return (repeated ? reflection->GetRepeatedBool(message, field, index)
                       : reflection->GetBool(message, field))
                 ? "True"
                 : "False";
    case FieldDescriptor::CPPTYPE_ENUM:
      return python_str_repr((repeated ? reflection->GetRepeatedEnum(message, field, index)
                                       : reflection->GetEnum(message, field))
                                 ->name());
    case FieldDescriptor::CPPTYPE_STRING: {
      const std::string text = repeated ? reflection->GetRepeatedString(message, field, index)
                                        : reflection->GetString(message, field);
      return python_str_repr(field->type() == FieldDescriptor::TYPE_BYTES ? base64(text) : text);
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return dict(repeated ? reflection->GetRepeatedMessage(message, field, index)
                           : reflection->GetMessage(message, field));
  }
  return "None";
}

std::string dict(const Message& message) {
  const auto* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  std::string out = "{";
  bool first = true;
  for (const FieldDescriptor* field : fields) {
    if (!first) out += ", ";
    first = false;
    out += python_str_repr(field->json_name()) + ": ";
    if (field->is_map()) {
      out += "{";
      const int size = reflection->FieldSize(message, field);
      for (int i = 0; i < size; ++i) {
        const Message& entry = reflection->GetRepeatedMessage(message, field, i);
        const auto* key = entry.GetDescriptor()->map_key();
        std::string key_text = value(entry, key, -1);
        if (key_text.front() != '\'') key_text = "'" + key_text + "'";
        out += (i ? ", " : "") + key_text + ": " +
               value(entry, entry.GetDescriptor()->map_value(), -1);
      }
      out += "}";
    } else if (field->is_repeated()) {
      out += "[";
      const int size = reflection->FieldSize(message, field);
      for (int i = 0; i < size; ++i) out += (i ? ", " : "") + value(message, field, i);
      out += "]";
    } else {
      out += value(message, field, -1);
    }
  }
  return out + "}";
}

}  // namespace

std::string python_float(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::string text = fmt::format("{}", value);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

std::string python_message_dict(const google::protobuf::Message& message) {
  return dict(message);
}

}  // namespace superlink
