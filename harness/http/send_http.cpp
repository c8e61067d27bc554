#include "send_http.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string_view>

#include "unique_fd.h"

namespace harness {

namespace {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

enum class Waited { Ready, TimedOut, Cancelled };

// Waits for `events` on `fd`, the deadline, or the cancel descriptor.
Waited wait_for(int fd, short events, const HttpBounds& bounds) {
  pollfd watch[2] = {{fd, events, 0}, {bounds.cancel_fd, POLLIN, 0}};
  const nfds_t count = bounds.cancel_fd >= 0 ? 2 : 1;
  int ready = 0;
  do {
    ready = ::poll(watch, count, remaining_ms(bounds.deadline));
  } while (ready < 0 && errno == EINTR);
  // What has arrived is read first: an answer already in when the run ends still counts (the
  // target wrote it before it died; a dead peer's socket reads its end at once).
  if (count == 2 && watch[1].revents != 0 && (ready <= 0 || watch[0].revents == 0)) {
    return Waited::Cancelled;
  }
  return ready > 0 ? Waited::Ready : Waited::TimedOut;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The body as it arrives, up to a cap: what goes past the cap is only noted, never stored, so a
// Content-Length of a terabyte reserves nothing (Beast's string_body would reserve it).
struct CappedBody {
  struct value_type {
    std::string text;
    std::size_t cap = 0;
    bool cut = false;
  };

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(http::header<isRequest, Fields>&, value_type& body) : body_(body) {}
    void init(const boost::optional<std::uint64_t>&, beast::error_code& ec) { ec = {}; }
    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, beast::error_code& ec) {
      ec = {};
      const std::size_t size = net::buffer_size(buffers);
      const std::size_t take = std::min(size, body_.cap - body_.text.size());
      const std::size_t at = body_.text.size();
      body_.text.resize(at + take);
      net::buffer_copy(net::buffer(body_.text.data() + at, take), buffers);
      if (take < size) body_.cut = true;
      return size;
    }
    void finish(beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

// The answer as far as it has arrived, parsed by Beast; the raw head is kept as received.
class Answer {
 public:
  Answer(std::size_t max_body, bool head_request) {
    parser_.header_limit(static_cast<std::uint32_t>(HttpBounds::kMaxHead));
    // The body's own cap decides. Not boost::none: Boost 1.74 compares a Content-Length with the
    // empty optional and finds it over the limit.
    parser_.body_limit(std::numeric_limits<std::uint64_t>::max());
    parser_.skip(head_request);  // an answer to HEAD has no body, whatever its length says
    parser_.get().body().cap = max_body;
    response_.sent = true;
  }

  bool complete() const { return complete_; }
  std::size_t bytes_read() const { return read_; }

  // Feeds what arrived to the parser; what it cannot use yet (a head or a chunk size line cut
  // in two) waits for the next bytes.
  void add(std::string_view bytes) {
    read_ += bytes.size();
    pending_.append(bytes);
    while (!pending_.empty() && !complete_) {
      const bool had_head = parser_.is_header_done();
      beast::error_code ec;
      const std::size_t used = parser_.put(net::buffer(pending_), ec);
      if (!had_head) head_.append(pending_, 0, used);
      pending_.erase(0, used);
      if (!had_head && parser_.is_header_done()) {
        response_.status = static_cast<int>(parser_.get().result_int());
        response_.head = head_.substr(0, head_.size() - 2);  // without the empty line
      }
      if (ec == http::error::need_more) break;
      if (ec) {
        fail(ec);
        return;
      }
      if (parser_.get().body().cut) response_.body_cut = true;
      complete_ = parser_.is_done() || response_.body_cut;
      if (used == 0) break;
    }
    if (!complete_ && !parser_.is_header_done() && pending_.size() > HttpBounds::kMaxHead) {
      fail(http::error::header_limit);
    }
  }

  // The connection closed before the answer was complete. An answer without a length ends
  // there; one with a length or chunks is cut short.
  void closed() {
    if (!parser_.is_header_done()) {
      response_.error = read_ == 0 ? "connection closed without a response" : "malformed response";
    } else if (parser_.chunked()) {
      response_.error = "truncated chunked body";
    } else if (parser_.content_length()) {
      response_.error = "truncated body";
    } else {
      beast::error_code ignored;
      parser_.put_eof(ignored);
    }
    complete_ = true;
  }

  // The flood bound was reached before the end: what arrived is kept, the rest is not read.
  void cut() { response_.body_cut = true; }

  HttpResponse take() {
    response_.body = std::move(parser_.get().body().text);
    return std::move(response_);
  }

 private:
  void fail(beast::error_code ec) {
    complete_ = true;
    if (ec == http::error::header_limit) {
      response_ = HttpResponse{};
      response_.sent = true;
      response_.error =
          "answer head longer than " + std::to_string(HttpBounds::kMaxHead) + " bytes";
    } else if (!parser_.is_header_done()) {
      response_.error = "malformed response";
    } else {
      response_.error = parser_.chunked() ? "malformed chunked body" : "malformed body";
    }
  }

  http::response_parser<CappedBody> parser_;
  std::string pending_;  // read, not parsed yet
  std::string head_;     // the raw head, as received
  std::size_t read_ = 0;
  HttpResponse response_;
  bool complete_ = false;
};

}  // namespace

HttpResponse send_http(const HttpRequest& request, std::chrono::milliseconds timeout) {
  HttpBounds bounds;
  bounds.deadline = Clock::now() + timeout;
  return send_http(request, bounds);
}

HttpResponse send_http(const HttpRequest& request, const HttpBounds& bounds) {
  HttpResponse failed;
  const auto give_up = [&failed](Waited why, const char* doing) {
    failed.error =
        why == Waited::Cancelled ? std::string("cancelled") : "timed out " + std::string(doing);
    return failed;
  };
  const std::size_t colon = request.address.rfind(':');
  std::string host = request.address.substr(0, colon);
  if (colon == std::string::npos || host.empty() || host == "0.0.0.0") host = "127.0.0.1";
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(
      colon == std::string::npos ? 80 : std::atoi(request.address.c_str() + colon + 1)));
  if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    failed.error = "bad address '" + request.address + "'";
    return failed;
  }

  const UniqueFd socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (socket.get() < 0) {
    failed.error = std::string("socket: ") + std::strerror(errno);
    return failed;
  }
  if (::connect(socket.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    if (errno != EINPROGRESS) {
      failed.error = std::strerror(errno);
      return failed;
    }
    if (const Waited why = wait_for(socket.get(), POLLOUT, bounds); why != Waited::Ready) {
      return give_up(why, "connecting");
    }
    int error = 0;
    socklen_t length = sizeof(error);
    ::getsockopt(socket.get(), SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) {
      failed.error = std::strerror(error);
      return failed;
    }
  }

  // A Host among the headers replaces the address (it is the request's to choose).
  const bool own_host =
      std::any_of(request.headers.begin(), request.headers.end(),
                  [](const auto& header) { return lower(header.first) == "host"; });
  std::string wire = request.method + ' ' + request.path + " HTTP/1.1\r\n";
  if (!own_host) wire += "Host: " + request.address + "\r\n";
  for (const auto& [name, value] : request.headers) wire += name + ": " + value + "\r\n";
  wire +=
      "Content-Length: " + std::to_string(request.body.size()) + "\r\nConnection: close\r\n\r\n";
  wire += request.body;
  std::string_view pending(wire);
  while (!pending.empty()) {
    const ssize_t sent = ::send(socket.get(), pending.data(), pending.size(), MSG_NOSIGNAL);
    if (sent > 0) {
      pending.remove_prefix(static_cast<std::size_t>(sent));
    } else if (sent < 0 && errno != EAGAIN && errno != EINTR) {
      failed.error = std::strerror(errno);
      return failed;
    } else if (const Waited why = wait_for(socket.get(), POLLOUT, bounds); why != Waited::Ready) {
      return give_up(why, "sending");
    }
  }

  failed.sent = true;
  // Chunk framing can take several bytes per body byte: the raw read is bounded on its own.
  const std::size_t max_read = HttpBounds::kMaxHead + 8 * bounds.max_body + 64;
  Answer answer(bounds.max_body, request.method == "HEAD");
  char buffer[16 * 1024];
  while (!answer.complete()) {
    const std::size_t room = std::min(sizeof(buffer), max_read - answer.bytes_read());
    const ssize_t got = ::recv(socket.get(), buffer, room, 0);
    if (got > 0) {
      answer.add(std::string_view(buffer, static_cast<std::size_t>(got)));
      if (!answer.complete() && answer.bytes_read() >= max_read) {
        answer.cut();
        break;
      }
    } else if (got == 0) {
      answer.closed();
    } else if (errno == ECONNRESET) {
      if (answer.bytes_read() == 0) {
        failed.error = std::strerror(errno);
        return failed;
      }
      answer.closed();
    } else if (errno != EAGAIN && errno != EINTR) {
      failed.error = std::strerror(errno);
      return failed;
    } else if (const Waited why = wait_for(socket.get(), POLLIN, bounds); why != Waited::Ready) {
      // What arrived is kept: a status and a partial body say more than the time out alone.
      HttpResponse partial = answer.take();
      partial.error = give_up(why, "waiting for the response").error;
      return partial;
    }
  }
  return answer.take();
}

}  // namespace harness
