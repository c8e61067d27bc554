// What Python prints on stderr when a thread of the real SuperLink dies of an exception, when
// SIGINT arrives before its handlers are installed, and when asyncio's accept runs out of
// resources in the REST thread: a traceback whose last line is `TYPE: MESSAGE`. Frames carry no
// source lines, as Python prints them when the sources are not readable (no Flower code is quoted).
#pragma once

#include <exception>
#include <functional>
#include <string>
#include <string_view>

namespace superlink {

// The Python type a thread's exception reports: PythonError::type(), `RuntimeError` for a
// failpoint panic and for any other C++ exception.
std::string python_exception_type(std::exception_ptr error);

// `Exception in thread Thread-4 (_flwr_scheduler):` and the traceback for the critical thread
// `thread` ("scheduler" or "rest") dying of `error`; every line ends with '\n'. The REST thread's
// failed event-loop wait (SelectorWaitError) goes down through uvicorn and asyncio to
// selectors.select; the line in flwr/server/app.py is the active version's.
std::string thread_traceback(std::string_view thread, std::exception_ptr error);

// The text a thread's exception leaves as its cause: a failpoint panic gives its message.
std::string describe_exception(std::exception_ptr error);

// asyncio's repr of the listening socket `fd`, as its accept report quotes it:
// `<asyncio.TransportSocket fd=7, family=2, type=1, proto=6, laddr=('127.0.0.1', 9095)>`.
std::string transport_socket_repr(int fd);

// What asyncio logs (through Python's last-resort handler: no prefix) when accept fails with
// EMFILE, ENFILE, ENOBUFS or ENOMEM: the message, the socket, and the OSError's traceback.
std::string accept_out_of_resources_report(const std::string& socket_repr, int error);

// The traceback of a KeyboardInterrupt in the main thread during start-up.
std::string keyboard_interrupt_traceback();

// Runs `body` as the critical thread `thread`: an exception leaving it is reported with
// thread_traceback() on stderr, as Python's threading.excepthook does in the dying thread,
// then rethrown for the supervisor. A quiet return prints nothing.
void run_reporting_uncaught(std::string_view thread, const std::function<void()>& body);

}  // namespace superlink
