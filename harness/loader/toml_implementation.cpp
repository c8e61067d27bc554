// toml++'s implementation, compiled into the loader instead of linked from libtomlplusplus.so:
// the harness executable links its libraries statically (cmake/StaticDependencies.cmake), and
// Debian ships toml++ as a shared library only.
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
