# Every dependency comes from a Debian package; the Makefile installs the missing ones
# (see cmake/debian-packages.txt).

find_package(Boost 1.81 REQUIRED)   # Spirit X3 is header-only
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
if(ACTJIT_TESTS)
  find_package(doctest REQUIRED)
  include(${doctest_DIR}/doctest.cmake)
endif()

# MPFR (the high-precision reference interpreter) has no CMake package: find it directly.
find_path(MPFR_INCLUDE_DIR mpfr.h REQUIRED)
find_library(MPFR_LIBRARY mpfr REQUIRED)
add_library(mpfr::mpfr UNKNOWN IMPORTED)
set_target_properties(mpfr::mpfr PROPERTIES IMPORTED_LOCATION ${MPFR_LIBRARY}
                      INTERFACE_INCLUDE_DIRECTORIES ${MPFR_INCLUDE_DIR})
