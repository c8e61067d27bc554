# The package as a consumer meets it (cmake/tests/ConsumerCase.cmake): the build is installed into
# <build>/package-tests/prefix first (fixture superlink_installed), then each case configures a
# small project of its own against it, or takes this project as a subproject.
set(package_tests "${CMAKE_BINARY_DIR}/package-tests")
add_test(NAME package/install
  COMMAND "${CMAKE_COMMAND}" --install "${CMAKE_BINARY_DIR}" --prefix "${package_tests}/prefix")
set_tests_properties(package/install PROPERTIES FIXTURES_SETUP superlink_installed
  FIXTURES_REQUIRED no_leftovers)
set(cases listing flat_folder installed_layout missing_folder empty_folder unparsable_file stray_file version_too_new
          config_without_programs subproject)
foreach(case IN LISTS cases)
  add_test(NAME package/${case}
    COMMAND "${CMAKE_COMMAND}" -DCASE=${case} "-DPREFIX=${package_tests}/prefix"
            "-DWORK=${package_tests}" "-DSOURCE=${PROJECT_SOURCE_DIR}"
            -P "${PROJECT_SOURCE_DIR}/cmake/tests/ConsumerCase.cmake")
  set_tests_properties(package/${case} PROPERTIES
    FIXTURES_REQUIRED "superlink_installed;no_leftovers")
endforeach()
list(TRANSFORM cases PREPEND package/)
set_tests_properties(package/install ${cases} PROPERTIES LABELS package TIMEOUT 120)
