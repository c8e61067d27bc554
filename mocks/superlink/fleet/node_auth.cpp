#include "superlink/fleet/node_auth.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>

#include "superlink/flower/python_error.h"

namespace superlink {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct DigestFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

[[noreturn]] void invalid_iso(const std::string& text) {
  throw PythonError("ValueError", "Invalid isoformat string: '" + text + "'");
}

// Reads exactly `width` digits at `pos`; -1 when they are not there.
int digits(const std::string& text, std::size_t& pos, std::size_t width) {
  if (pos + width > text.size()) return -1;
  int value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  pos += width;
  return value;
}

}  // namespace

bool verify_node_signature(const std::string& public_key_pem, const std::string& message,
                           const std::string& signature) {
  std::unique_ptr<BIO, BioFree> bio(
      BIO_new_mem_buf(public_key_pem.data(), static_cast<int>(public_key_pem.size())));
  std::unique_ptr<EVP_PKEY, KeyFree> key(
      bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key || EVP_PKEY_base_id(key.get()) != EVP_PKEY_EC) {
    throw PythonError("ValueError",
                      "Could not deserialize key data. The data may be in an incorrect format.");
  }
  std::unique_ptr<EVP_MD_CTX, DigestFree> context(EVP_MD_CTX_new());
  if (!context ||
      EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

double seconds_since(const std::string& text) {
  std::size_t pos = 0;
  std::tm tm{};
  const int year = digits(text, pos, 4);
  if (year < 1 || pos >= text.size() || text[pos++] != '-') invalid_iso(text);
  const int month = digits(text, pos, 2);
  if (month < 1 || month > 12 || pos >= text.size() || text[pos++] != '-') invalid_iso(text);
  const int day = digits(text, pos, 2);
  if (day < 1 || day > 31 || pos >= text.size()) invalid_iso(text);
  ++pos;  // any one separator, as fromisoformat takes
  const int hour = digits(text, pos, 2);
  if (hour < 0 || hour > 23 || pos >= text.size() || text[pos++] != ':') invalid_iso(text);
  const int minute = digits(text, pos, 2);
  if (minute < 0 || minute > 59) invalid_iso(text);
  int second = 0;
  double fraction = 0;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    second = digits(text, pos, 2);
    if (second < 0 || second > 59) invalid_iso(text);
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;
      double scale = 0.1;
      const std::size_t start = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        fraction += (text[pos++] - '0') * scale;
        scale /= 10;
      }
      if (pos == start) invalid_iso(text);
    }
  }
  if (pos == text.size())
    throw PythonError("TypeError", "can't subtract offset-naive and offset-aware datetimes");
  int offset = 0;
  if (text[pos] == 'Z' && pos + 1 == text.size()) {
    offset = 0;
  } else if (text[pos] == '+' || text[pos] == '-') {
    const int sign = text[pos++] == '-' ? -1 : 1;
    const int offset_hours = digits(text, pos, 2);
    if (offset_hours < 0 || pos >= text.size() || text[pos++] != ':') invalid_iso(text);
    const int offset_minutes = digits(text, pos, 2);
    if (offset_minutes < 0 || pos != text.size()) invalid_iso(text);
    offset = sign * (offset_hours * 3600 + offset_minutes * 60);
  } else {
    invalid_iso(text);
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const double then = static_cast<double>(timegm(&tm)) - offset + fraction;
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  return now - then;
}

}  // namespace superlink
