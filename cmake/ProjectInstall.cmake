# What `cmake --install` puts under a prefix, and the CMake package other projects find there:
#   bin/               superlink-harness, superlink-run-init (the parent of each run's target; the
#                      harness finds it next to itself), mock-superlink, mock-serverapp (the mock starts it from
#                      its own folder)
#   libexec/superlink-harness/flower/flower-superlink, flower-superexec
#                      the persona, a link to bin/mock-superlink, and the flower-superexec a 1.26
#                      mock starts, in a folder of their own: put it first on PATH deliberately;
#                      neither shadows a real Flower from bin/
#   include/, lib/     the failpoint runtime, the harness libraries (scenario, loader, engine,
#                      verdict and what they link), the testing library
#   lib/cmake/SuperlinkHarness/   SuperlinkHarnessConfig.cmake (+ version, targets, and
#                      superlink_add_scenarios), namespace superlink::
#   lib/pkgconfig/superlink-failpoint.pc   the failpoint runtime for servers without CMake
#   share/doc/superlink-fault-harness/  README and docs/
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SUPERLINK_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/SuperlinkHarness")
set(SUPERLINK_PERSONA_DIR "${CMAKE_INSTALL_LIBEXECDIR}/superlink-harness/flower")

set(installed_libraries superlink_failpoint superlink_failpoint_runtime superlink_harness superlink_scenario
  superlink_loader superlink_faults superlink_engine superlink_verdict superlink_flower_api
  superlink_process superlink_http superlink_grpc superlink_fleet_proto)
if(TARGET superlink_testing)
  list(APPEND installed_libraries superlink_testing)
endif()
install(TARGETS superlink-harness superlink-run-init mock-superlink mock-serverapp ${installed_libraries}
  EXPORT SuperlinkHarnessTargets
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}"
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(TARGETS flower-superexec RUNTIME DESTINATION "${SUPERLINK_PERSONA_DIR}")
install(DIRECTORY harness/failpoint/include/ harness/scenario/include/ harness/loader/include/
  harness/engine/include/ harness/verdict/include/ DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
if(TARGET superlink_testing)
  install(DIRECTORY harness/testing/include/ DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
endif()

# The persona is argv[0]'s business (docs/mock-superlink.md); the link keeps /proc/self/exe in
# bin/, where the mock finds mock-serverapp.
file(RELATIVE_PATH persona_to_mock "/${SUPERLINK_PERSONA_DIR}" "/${CMAKE_INSTALL_BINDIR}/mock-superlink")
install(CODE "
  set(persona \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${SUPERLINK_PERSONA_DIR}\")
  file(MAKE_DIRECTORY \"\${persona}\")
  message(STATUS \"Installing: \${persona}/flower-superlink -> ${persona_to_mock}\")
  file(CREATE_LINK \"${persona_to_mock}\" \"\${persona}/flower-superlink\" SYMBOLIC)
")

install(EXPORT SuperlinkHarnessTargets NAMESPACE superlink::
  DESTINATION "${SUPERLINK_CMAKE_DIR}")
set(SUPERLINK_HAS_TESTING OFF)
if(TARGET superlink_testing)
  set(SUPERLINK_HAS_TESTING ON)
endif()
configure_package_config_file(cmake/SuperlinkHarnessConfig.cmake.in
  "${PROJECT_BINARY_DIR}/package-config/SuperlinkHarnessConfig.cmake"
  INSTALL_DESTINATION "${SUPERLINK_CMAKE_DIR}"
  PATH_VARS CMAKE_INSTALL_BINDIR SUPERLINK_PERSONA_DIR)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/package-config/SuperlinkHarnessConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/package-config/SuperlinkHarnessConfig.cmake"
  "${PROJECT_BINARY_DIR}/package-config/SuperlinkHarnessConfigVersion.cmake"
  cmake/SuperlinkAddScenarios.cmake
  cmake/SuperlinkScenarioTests.cmake
  DESTINATION "${SUPERLINK_CMAKE_DIR}")

# Relative to the .pc file itself, so a staging prefix or an unpacked .deb works as well.
file(RELATIVE_PATH SUPERLINK_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" SUPERLINK_PC_TO_PREFIX "${SUPERLINK_PC_TO_PREFIX}")
configure_file(cmake/superlink-failpoint.pc.in
  "${PROJECT_BINARY_DIR}/package-config/superlink-failpoint.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/package-config/superlink-failpoint.pc"
  DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

install(FILES README.md DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(DIRECTORY docs/ DESTINATION "${CMAKE_INSTALL_DOCDIR}/docs")
