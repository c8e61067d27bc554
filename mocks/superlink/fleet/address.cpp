#include "superlink/fleet/address.h"

#include <arpa/inet.h>

#include <charconv>

namespace superlink {

std::optional<Address> parse_address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view raw_host = text.substr(0, colon);
  const std::string_view raw_port = text.substr(colon + 1);
  int port = -1;
  const auto [end, error] =
      std::from_chars(raw_port.data(), raw_port.data() + raw_port.size(), port);
  if (raw_port.empty() || error != std::errc{} || end != raw_port.data() + raw_port.size() ||
      port < 0 || port > 65535) {
    return std::nullopt;
  }
  if (raw_host.size() >= 2 && raw_host.front() == '[' && raw_host.back() == ']') {
    raw_host = raw_host.substr(1, raw_host.size() - 2);
  }
  if (raw_host.empty()) return std::nullopt;
  Address address{std::string(raw_host), port, false};
  in6_addr v6{};
  address.is_v6 = inet_pton(AF_INET6, address.host.c_str(), &v6) == 1;
  // A bare IPv6 host without brackets ("::1:9092" splits oddly) is still accepted, like Flower.
  return address;
}

std::string format_address(const Address& address) {
  const std::string port = std::to_string(address.port);
  if (address.is_v6) return "[" + address.host + "]:" + port;
  return address.host + ":" + port;
}

Address connectable(Address address) {
  if (address.host == "0.0.0.0") address.host = "127.0.0.1";
  if (address.host == "::") address.host = "::1";
  return address;
}

}  // namespace superlink
