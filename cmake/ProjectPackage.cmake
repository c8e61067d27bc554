# CPack: one Debian package (ci/package) holding everything `cmake --install` installs, under /usr.
# Runtime libraries of the programs come from dpkg-shlibdeps; the CMake package's own
# find_dependency() calls need the -dev packages listed here, with pkg-config and cmake.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME superlink-harness)
set(CPACK_PACKAGE_VENDOR "superlink-fault-harness")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Fault-injection harness for Flower's SuperLink: harness, mock SuperLink, failpoint runtime")
set(CPACK_PACKAGE_CONTACT "superlink-fault-harness maintainers <noreply@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "cmake (>= 3.25), pkg-config, libboost-dev (>= 1.74), libspdlog-dev, libfmt-dev, libcpp-httplib-dev, libre2-dev, libgrpc++-dev, libprotobuf-dev, libssl-dev, nlohmann-json3-dev, libgtest-dev, libgmock-dev")
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/package")
include(CPack)
