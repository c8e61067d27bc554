// unnamed-threads PORT FILE: a SuperLink-shaped process whose threads carry no names of their
// own (as a Python SuperLink's are all `python3`), for the harness's search by what a thread
// does. One thread reads FILE every 20 ms (a scheduler's reads of its state); another waits in
// epoll_wait on a listener bound to 127.0.0.1:PORT (an event loop's). Either dies of an error
// of its call: the process prints which and exits 3 (reader) or 4 (loop).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <latch>
#include <thread>

namespace {

// The "listening" line is the harness's readiness: it comes only once the reader holds FILE, so
// a search by what a thread does never starts before the reader does it.
std::latch reader_opened(1);

[[noreturn]] void die(const char* what, int status) {
  std::printf("%s failed: %s\n", what, std::strerror(errno));
  std::fflush(stdout);
  std::_Exit(status);
}

void read_forever(const char* path) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) die("open", 2);
  reader_opened.count_down();
  char byte = 0;
  for (;;) {
    if (::pread(fd, &byte, 1, 0) < 0) die("reader: pread", 3);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void wait_forever(int port) {
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int on = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) die("bind", 2);
  if (::listen(listener, 16) != 0) die("listen", 2);
  const int loop = ::epoll_create1(EPOLL_CLOEXEC);
  epoll_event interest{};
  interest.events = EPOLLIN;
  interest.data.fd = listener;
  ::epoll_ctl(loop, EPOLL_CTL_ADD, listener, &interest);
  reader_opened.wait();
  std::printf("listening on 127.0.0.1:%d\n", port);
  std::fflush(stdout);
  for (;;) {
    epoll_event ready{};
    const int n = ::epoll_wait(loop, &ready, 1, 100);
    if (n < 0 && errno != EINTR) die("loop: epoll_wait", 4);
    if (n > 0) {
      const int client = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
      if (client >= 0) ::close(client);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: unnamed-threads PORT FILE\n");
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const char* path = argv[2];
  if (FILE* file = std::fopen(path, "a")) std::fclose(file);
  std::thread reader(read_forever, path);
  std::thread loop(wait_forever, port);
  reader.join();
  loop.join();
}
