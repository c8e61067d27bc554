# Each library the harness links from the system exists here twice: as the shared library every
# target links by default, and as Debian's static archives for an executable that asks for them
# with superlink_link_statically(<target>). superlink-harness does: a developer who reruns one
# scenario pays the harness's start-up on every run, and the dynamic loader's symbol lookups for
# gRPC, Abseil, protobuf and OpenSSL (some 60 shared libraries) were most of it (docs/benchmarks.md,
# "The developer's loop").
#
# The libraries of the project link ${SUPERLINK_RE2}, ${SUPERLINK_SQLITE3}, ${SUPERLINK_PROTOBUF},
# ${SUPERLINK_GRPCPP} and ${SUPERLINK_CRYPTO} instead of the imported targets. Each is a generator
# expression that picks, for the executable being linked (the property
# SUPERLINK_STATIC_DEPENDENCIES, read on the consuming target), the archives or the shared library.
# The archives are the build tree's alone ($<BUILD_INTERFACE>): an installed library gives its
# users the shared ones, as before.

set(superlink_system_libraries dl m pthread rt atomic)

# _superlink_static_archives(<target> <library names...>): an interface target linking the archive
# lib<name>.a of each name (system libraries stay shared), all in one group the linker rescans,
# so their order does not matter. Sets SUPERLINK_STATIC_MISSING in the caller to the first
# archive not found.
function(_superlink_static_archives target)
  add_library(${target} INTERFACE)
  set(archives "")
  set(system "")
  foreach(name IN LISTS ARGN)
    if(name IN_LIST superlink_system_libraries)
      list(APPEND system ${name})
      continue()
    endif()
    string(MAKE_C_IDENTIFIER "${name}" id)
    find_library(SUPERLINK_ARCHIVE_${id} NAMES lib${name}.a)
    if(NOT SUPERLINK_ARCHIVE_${id})
      if(NOT SUPERLINK_STATIC_MISSING)
        set(SUPERLINK_STATIC_MISSING "lib${name}.a" PARENT_SCOPE)
      endif()
      return()
    endif()
    list(APPEND archives "${SUPERLINK_ARCHIVE_${id}}")
  endforeach()
  list(REMOVE_DUPLICATES archives)
  list(REMOVE_DUPLICATES system)
  list(JOIN archives "," grouped)
  target_link_libraries(${target} INTERFACE "$<LINK_GROUP:RESCAN,${grouped}>" ${system}
    Threads::Threads)
endfunction()

set(SUPERLINK_STATIC_MISSING "")
_superlink_static_archives(superlink_static_re2 re2)
_superlink_static_archives(superlink_static_sqlite3 sqlite3 m z)
_superlink_static_archives(superlink_static_protobuf protobuf z)
_superlink_static_archives(superlink_static_crypto crypto dl)
# pkg-config's list for a static link of grpc++ (pkg_check_modules(GRPCPP ...) made it).
_superlink_static_archives(superlink_static_grpcpp ${GRPCPP_STATIC_LIBRARIES})

# _superlink_dependency(<variable> <shared target> <static target>): the generator expression
# that picks one of the two for the executable being linked.
function(_superlink_dependency variable shared static)
  set(wants_static "$<BOOL:$<TARGET_PROPERTY:SUPERLINK_STATIC_DEPENDENCIES>>")
  set(${variable}
    "$<$<NOT:${wants_static}>:${shared}>;$<BUILD_INTERFACE:$<${wants_static}:${static}>>"
    PARENT_SCOPE)
endfunction()
_superlink_dependency(SUPERLINK_RE2 PkgConfig::RE2 superlink_static_re2)
_superlink_dependency(SUPERLINK_SQLITE3 SQLite::SQLite3 superlink_static_sqlite3)
_superlink_dependency(SUPERLINK_PROTOBUF protobuf::libprotobuf superlink_static_protobuf)
_superlink_dependency(SUPERLINK_CRYPTO OpenSSL::Crypto superlink_static_crypto)
_superlink_dependency(SUPERLINK_GRPCPP PkgConfig::GRPCPP superlink_static_grpcpp)

# superlink_link_statically(<executable>): the executable links the archives above, and libstdc++
# and libgcc statically; only glibc stays shared. It is not position-independent either: the
# loader would otherwise relocate some 40,000 addresses (the archives' vtables) at every start.
# Not under a sanitizer (its runtime wants the shared C++ library) nor where an archive is
# missing (then it says which, and links as usual).
function(superlink_link_statically target)
  if(CMAKE_CXX_FLAGS MATCHES "-fsanitize" OR CMAKE_EXE_LINKER_FLAGS MATCHES "-fsanitize")
    return()
  endif()
  if(SUPERLINK_STATIC_MISSING)
    message(STATUS "${target}: linked with shared libraries (no ${SUPERLINK_STATIC_MISSING})")
    return()
  endif()
  set_target_properties(${target} PROPERTIES SUPERLINK_STATIC_DEPENDENCIES ON)
  target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc -no-pie)
endfunction()
