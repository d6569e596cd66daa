# Every dependency comes from a Debian package; the Makefile installs the missing ones
# (see cmake/debian-packages.txt).

find_package(Boost 1.81 REQUIRED)   # Spirit X3 is header-only
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
if(ACTJIT_TESTS)
  find_package(doctest REQUIRED)
  include(${doctest_DIR}/doctest.cmake)
endif()
