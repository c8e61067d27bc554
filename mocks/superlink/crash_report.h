// What Python prints on stderr when a thread of the real SuperLink dies of an exception, and
// when SIGINT arrives before its handlers are installed: a traceback whose last line is
// `TYPE: MESSAGE`. Frames carry no source lines, as Python prints them when the sources are
// not readable (no Flower code is quoted).
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
// `thread` ("scheduler" or "rest") dying of `error`; every line ends with '\n'.
std::string thread_traceback(std::string_view thread, std::exception_ptr error);

// The traceback of a KeyboardInterrupt in the main thread during start-up.
std::string keyboard_interrupt_traceback();

// Runs `body` as the critical thread `thread`: an exception leaving it is reported with
// thread_traceback() on stderr, as Python's threading.excepthook does in the dying thread,
// then rethrown for the supervisor. A quiet return prints nothing.
void run_reporting_uncaught(std::string_view thread, const std::function<void()>& body);

}  // namespace superlink
