# Compiler settings shared by every target: warnings, sanitizers, ccache.

find_program(ACTJIT_CCACHE ccache)
if(ACTJIT_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${ACTJIT_CCACHE})
  set(CMAKE_C_COMPILER_LAUNCHER ${ACTJIT_CCACHE})
endif()

# -Werror=switch: a node kind without a rule in a switch over Kind fails to build.
add_compile_options(-Wall -Wextra -Werror=switch)

# The fuzz build instruments every library for coverage; the fuzzer links libFuzzer.
if(ACTJIT_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(ACTJIT_SANITIZE OR ACTJIT_FUZZ)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
