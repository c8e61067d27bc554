#include "ready_json.h"

#include <cctype>
#include <cstdint>

namespace harness {

namespace {

class Parser {
 public:
  explicit Parser(std::string_view in) : in_(in) {}

  std::optional<JsonValue> document() {
    JsonValue value;
    if (!parse(value, 0)) return std::nullopt;
    skip_space();
    if (pos_ != in_.size()) return std::nullopt;
    return value;
  }

 private:
  static constexpr int kMaxDepth = 32;

  void skip_space() {
    while (pos_ < in_.size() && std::isspace(static_cast<unsigned char>(in_[pos_]))) ++pos_;
  }
  bool eat(char c) {
    skip_space();
    if (pos_ < in_.size() && in_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool literal(std::string_view word) {
    if (in_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool parse(JsonValue& out, int depth) {
    if (depth > kMaxDepth) return false;
    skip_space();
    if (pos_ >= in_.size()) return false;
    const char c = in_[pos_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, depth);
    if (c == '"') {
      out.kind = JsonValue::Kind::String;
      return string(out.text);
    }
    for (const std::string_view word : {"true", "false"}) {
      if (literal(word)) {
        out.kind = JsonValue::Kind::Bool;
        out.text = word;
        return true;
      }
    }
    if (literal("null")) return true;
    return number(out);
  }

  bool number(JsonValue& out) {
    const std::size_t start = pos_;
    while (pos_ < in_.size() &&
           (std::isdigit(static_cast<unsigned char>(in_[pos_])) || in_[pos_] == '-' ||
            in_[pos_] == '+' || in_[pos_] == '.' || in_[pos_] == 'e' || in_[pos_] == 'E')) {
      ++pos_;
    }
    if (pos_ == start) return false;
    out.kind = JsonValue::Kind::Number;
    out.text = std::string(in_.substr(start, pos_ - start));
    return true;
  }

  bool object(JsonValue& out, int depth) {
    out.kind = JsonValue::Kind::Object;
    ++pos_;
    if (eat('}')) return true;
    do {
      skip_space();
      std::string key;
      if (pos_ >= in_.size() || in_[pos_] != '"' || !string(key) || !eat(':')) return false;
      JsonValue value;
      if (!parse(value, depth + 1)) return false;
      out.members.push_back(JsonMember{std::move(key), std::move(value)});
    } while (eat(','));
    return eat('}');
  }

  bool array(JsonValue& out, int depth) {
    out.kind = JsonValue::Kind::Array;
    ++pos_;
    if (eat(']')) return true;
    do {
      JsonValue value;
      if (!parse(value, depth + 1)) return false;
      out.items.push_back(std::move(value));
    } while (eat(','));
    return eat(']');
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
      out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
  }

  bool string(std::string& out) {
    ++pos_;  // opening quote
    while (pos_ < in_.size()) {
      const char c = in_[pos_++];
      if (c == '"') return true;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= in_.size()) return false;
      const char e = in_[pos_++];
      switch (e) {
        case 'n':
          out.push_back('\n');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'u': {
          if (pos_ + 4 > in_.size()) return false;
          std::uint32_t cp = 0;
          for (int i = 0; i < 4; ++i) {
            const char h = in_[pos_++];
            if (!std::isxdigit(static_cast<unsigned char>(h))) return false;
            cp = cp * 16 + static_cast<std::uint32_t>(std::isdigit(static_cast<unsigned char>(h))
                                                          ? h - '0'
                                                          : (std::tolower(h) - 'a' + 10));
          }
          append_utf8(out, cp);  // surrogate pairs are not expected from our targets
          break;
        }
        default:
          out.push_back(e);  // \" \\ \/
      }
    }
    return false;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace

const JsonValue* JsonValue::find(std::string_view key) const {
  for (const auto& [name, value] : members) {
    if (name == key) return &value;
  }
  return nullptr;
}

std::optional<JsonValue> parse_json(std::string_view input) {
  return Parser(input).document();
}

}  // namespace harness
