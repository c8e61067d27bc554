#include "send_http.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "unique_fd.h"

namespace harness {

namespace {

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

// Decodes a chunked body as far as it has arrived; true once the last chunk is in.
bool dechunk(std::string_view in, std::string& out) {
  out.clear();
  while (true) {
    const std::size_t line_end = in.find("\r\n");
    if (line_end == std::string_view::npos) return false;
    const std::size_t size = std::strtoul(std::string(in.substr(0, line_end)).c_str(), nullptr, 16);
    in.remove_prefix(line_end + 2);
    if (size == 0) return true;
    if (in.size() < size + 2) {
      out.append(in.substr(0, std::min(size, in.size())));
      return false;
    }
    out.append(in.substr(0, size));
    in.remove_prefix(size + 2);
  }
}

// The answer as far as it has arrived.
struct Answer {
  std::string data;  // raw bytes read
  std::size_t head_end = std::string::npos;
  HttpResponse response;
  bool complete = false;  // no more bytes are needed
};

// Looks at what arrived: the status once the head is in, the body as far as it goes, whether
// it is complete (by its length or last chunk) or longer than `max_body` (then cut).
void parse(Answer& answer, std::size_t max_body) {
  const std::string& data = answer.data;
  HttpResponse& response = answer.response;
  if (answer.head_end == std::string::npos) {
    answer.head_end = data.find("\r\n\r\n");
    if (answer.head_end == std::string::npos) return;
    if (data.compare(0, 5, "HTTP/") != 0) {
      response.error = "malformed response";
      answer.complete = true;
      return;
    }
    response.status = std::atoi(data.c_str() + data.find(' ') + 1);
    response.head = data.substr(0, answer.head_end + 2);
  }
  const std::string head = lower(std::string_view(data).substr(0, answer.head_end));
  const std::string_view body = std::string_view(data).substr(answer.head_end + 4);
  bool whole = false;
  if (head.find("\r\ntransfer-encoding: chunked") != std::string::npos) {
    whole = dechunk(body, response.body);
  } else if (const std::size_t at = head.find("\r\ncontent-length:"); at != std::string::npos) {
    const std::size_t length = std::strtoul(head.c_str() + at + 17, nullptr, 10);
    response.body = std::string(body.substr(0, length));
    whole = body.size() >= length;
  } else {
    response.body = std::string(body);  // until the server closes the connection
  }
  if (response.body.size() > max_body) {
    response.body.resize(max_body);
    response.body_cut = true;
    answer.complete = true;
  }
  answer.complete = answer.complete || whole;
}

// The connection closed before the answer was complete.
void closed_early(Answer& answer) {
  HttpResponse& response = answer.response;
  if (answer.head_end == std::string::npos) {
    response.error =
        answer.data.empty() ? "connection closed without a response" : "malformed response";
    return;
  }
  const std::string head = lower(std::string_view(answer.data).substr(0, answer.head_end));
  if (head.find("\r\ntransfer-encoding: chunked") != std::string::npos) {
    response.error = "truncated chunked body";
  } else if (head.find("\r\ncontent-length:") != std::string::npos) {
    response.error = "truncated body";
  }
}

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
  Answer answer;
  answer.response.sent = true;
  char buffer[16 * 1024];
  while (!answer.complete) {
    const std::size_t room = std::min(sizeof(buffer), max_read - answer.data.size());
    const ssize_t got = ::recv(socket.get(), buffer, room, 0);
    if (got > 0) {
      answer.data.append(buffer, static_cast<std::size_t>(got));
      parse(answer, bounds.max_body);
      if (answer.head_end == std::string::npos && answer.data.size() > HttpBounds::kMaxHead) {
        failed.error = "answer head longer than " + std::to_string(HttpBounds::kMaxHead) + " bytes";
        return failed;
      }
      if (!answer.complete && answer.data.size() >= max_read) {
        answer.response.body_cut = true;
        break;
      }
    } else if (got == 0) {
      closed_early(answer);
      break;
    } else if (errno == ECONNRESET) {
      if (answer.data.empty()) {
        failed.error = std::strerror(errno);
        return failed;
      }
      closed_early(answer);
      break;
    } else if (errno != EAGAIN && errno != EINTR) {
      failed.error = std::strerror(errno);
      return failed;
    } else if (const Waited why = wait_for(socket.get(), POLLIN, bounds); why != Waited::Ready) {
      // What arrived is kept: a status and a partial body say more than the time out alone.
      HttpResponse partial = std::move(answer.response);
      partial.error = give_up(why, "waiting for the response").error;
      return partial;
    }
  }
  return std::move(answer.response);
}

}  // namespace harness
