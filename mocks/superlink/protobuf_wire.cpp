#include "superlink/protobuf_wire.h"

#include <bit>
#include <cstring>

namespace superlink::wire {

void Writer::tag(std::uint32_t field, WireType type) {
  varint((static_cast<std::uint64_t>(field) << 3) | static_cast<std::uint8_t>(type));
}

void Writer::varint(std::uint64_t value) {
  while (value >= 0x80) {
    out_.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out_.push_back(static_cast<char>(value));
}

void Writer::varint_field(std::uint32_t field, std::uint64_t value) {
  tag(field, WireType::kVarint);
  varint(value);
}

void Writer::double_field(std::uint32_t field, double value) {
  tag(field, WireType::kFixed64);
  auto bits = std::bit_cast<std::uint64_t>(value);
  for (int i = 0; i < 8; ++i) {
    out_.push_back(static_cast<char>(bits & 0xff));
    bits >>= 8;
  }
}

void Writer::bytes_field(std::uint32_t field, std::string_view bytes) {
  tag(field, WireType::kLengthDelimited);
  varint(bytes.size());
  out_.append(bytes);
}

double Field::as_double() const {
  return std::bit_cast<double>(number);
}

void Field::expect(WireType expected, std::string_view message_name) const {
  if (type != expected) {
    throw DecodeError(std::string(message_name) + ": field " + std::to_string(field) +
                      " has wire type " + std::to_string(static_cast<int>(type)) + ", expected " +
                      std::to_string(static_cast<int>(expected)));
  }
}

std::uint64_t Reader::varint() {
  std::uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= input_.size())
      throw DecodeError("truncated varint at byte " + std::to_string(pos_));
    const auto byte = static_cast<std::uint8_t>(input_[pos_++]);
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  throw DecodeError("varint longer than 10 bytes at byte " + std::to_string(pos_));
}

bool Reader::next(Field& field) {
  if (pos_ >= input_.size()) return false;
  const std::size_t start = pos_;
  const std::uint64_t key = varint();
  field.field = static_cast<std::uint32_t>(key >> 3);
  if (field.field == 0) throw DecodeError("field number 0 at byte " + std::to_string(start));
  const auto type = static_cast<std::uint8_t>(key & 7);
  field.bytes = {};
  field.number = 0;
  switch (type) {
    case 0:
      field.type = WireType::kVarint;
      field.number = varint();
      return true;
    case 1:
    case 5: {
      const std::size_t size = type == 1 ? 8 : 4;
      if (input_.size() - pos_ < size) {
        throw DecodeError("truncated fixed field at byte " + std::to_string(start));
      }
      for (std::size_t i = 0; i < size; ++i) {
        field.number |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(input_[pos_ + i]))
                        << (8 * i);
      }
      pos_ += size;
      field.type = type == 1 ? WireType::kFixed64 : WireType::kFixed32;
      return true;
    }
    case 2: {
      const std::uint64_t size = varint();
      if (size > input_.size() - pos_) {
        throw DecodeError("length-delimited field overruns the message at byte " +
                          std::to_string(start));
      }
      field.type = WireType::kLengthDelimited;
      field.bytes = input_.substr(pos_, size);
      pos_ += size;
      return true;
    }
    default:
      throw DecodeError("unsupported wire type " + std::to_string(type) + " at byte " +
                        std::to_string(start));
  }
}

}  // namespace superlink::wire
