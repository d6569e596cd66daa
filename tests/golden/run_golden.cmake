# Golden diagnostics: runs `actjit check NAME.act` in the input's folder (so that the
# file name in messages is relative) and compares exit status and standard error
# with NAME.expect, byte for byte.
get_filename_component(dir ${INPUT} DIRECTORY)
get_filename_component(name ${INPUT} NAME)
get_filename_component(base ${INPUT} NAME_WE)
execute_process(COMMAND ${ACTJIT} check ${name} WORKING_DIRECTORY ${dir}
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(READ ${dir}/${base}.expect expected)
if(NOT status EQUAL 1)
  message(FATAL_ERROR "exit status ${status}, expected 1\n${err}")
endif()
if(NOT out STREQUAL "")
  message(FATAL_ERROR "unexpected standard output:\n${out}")
endif()
if(NOT err STREQUAL expected)
  message(FATAL_ERROR "standard error differs.\n--- expected\n${expected}--- actual\n${err}---")
endif()
