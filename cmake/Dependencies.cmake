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

# LLVM 19 (Debian llvm-19-dev): one shared libLLVM. Its version file wants major.minor.
find_package(LLVM 19.1 REQUIRED CONFIG HINTS /usr/lib/llvm-19/lib/cmake/llvm)
separate_arguments(ACTJIT_LLVM_DEFINITIONS NATIVE_COMMAND ${LLVM_DEFINITIONS})

# xxHash (the JIT's cache keys) has no CMake package either.
find_path(XXHASH_INCLUDE_DIR xxhash.h REQUIRED)
find_library(XXHASH_LIBRARY xxhash REQUIRED)
add_library(xxhash::xxhash UNKNOWN IMPORTED)
set_target_properties(xxhash::xxhash PROPERTIES IMPORTED_LOCATION ${XXHASH_LIBRARY}
                      INTERFACE_INCLUDE_DIRECTORIES ${XXHASH_INCLUDE_DIR})
