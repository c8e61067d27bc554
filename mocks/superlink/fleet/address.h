// Network addresses as the SuperLink's flags spell them: `host:port`, `[v6]:port`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace superlink {

struct Address {
  std::string host;  // without brackets: "0.0.0.0", "::", "localhost"
  int port = 0;      // 0 = any free port (a mock-only extension)
  bool is_v6 = false;
};

// Parses like Flower's parse_address (split at the last ':', port an integer), but also accepts
// port 0. Returns nullopt for anything Flower would reject, and for an empty host.
std::optional<Address> parse_address(std::string_view text);

// `host:port`, with brackets around an IPv6 host.
std::string format_address(const Address& address);

// The address a local client uses to reach a listener bound to `address`: the wildcard hosts
// become the loopback of their family.
Address connectable(Address address);

}  // namespace superlink
