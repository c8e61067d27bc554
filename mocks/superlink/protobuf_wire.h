// The few pieces of the protobuf wire format the Fleet API messages need: varint, fixed64
// (double), length-delimited. No protobuf library: the mock only reads and writes a handful of
// small messages.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace superlink::wire {

enum class WireType : std::uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kFixed32 = 5
};

// A body that is not a valid message; what() says where it broke.
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Writer {
 public:
  void varint_field(std::uint32_t field, std::uint64_t value);
  void double_field(std::uint32_t field, double value);
  void bytes_field(std::uint32_t field, std::string_view bytes);
  const std::string& bytes() const { return out_; }

 private:
  void tag(std::uint32_t field, WireType type);
  void varint(std::uint64_t value);
  std::string out_;
};

// One field as read from the wire. `number` holds a varint's value or a fixed64's bits;
// `bytes` a length-delimited field's content.
struct Field {
  std::uint32_t field = 0;
  WireType type = WireType::kVarint;
  std::uint64_t number = 0;
  std::string_view bytes;

  double as_double() const;
  // Throws DecodeError unless the field has wire type `expected`.
  void expect(WireType expected, std::string_view message_name) const;
};

class Reader {
 public:
  explicit Reader(std::string_view input) : input_(input) {}
  // Reads the next field; false at the clean end of the input. Throws DecodeError on a
  // truncated or malformed field (including the group wire types 3 and 4).
  bool next(Field& field);

 private:
  std::uint64_t varint();
  std::string_view input_;
  std::size_t pos_ = 0;
};

}  // namespace superlink::wire
