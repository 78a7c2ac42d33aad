# Compiles SOURCE twice with the project's compiler and flags: as it is, which must succeed (so a
# failure below cannot come from a broken harness or header), and with -DMRTBB_WRONG_SHAPE, which
# must fail with EXPECTED (a concept's name, or a static_assert's message) in the compiler's
# diagnostics.
#
#   cmake -DCXX=... -DCXX_FLAGS=... -DINCLUDES=a|b -DIMPLICIT_INCLUDES=c|d -DSOURCE=f.cpp
#         -DEXPECTED=Name -P this file

cmake_minimum_required(VERSION 3.25)

string(REPLACE "|" ";" include_dirs "${INCLUDES}")
string(REPLACE "|" ";" implicit_dirs "${IMPLICIT_INCLUDES}")
set(include_flags)
foreach(dir IN LISTS include_dirs)
  # The compiler's own directories stay implicit: naming them with -I reorders the search and breaks
  # the C++ library's #include_next.
  if(dir AND NOT dir IN_LIST implicit_dirs)
    list(APPEND include_flags "-I${dir}")
  endif()
endforeach()
separate_arguments(extra_flags UNIX_COMMAND "${CXX_FLAGS}")
set(compile ${CXX} -std=c++20 -fsyntax-only ${extra_flags} ${include_flags} ${SOURCE})

execute_process(COMMAND ${compile} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the well-shaped variant of ${SOURCE} does not compile:\n${out}")
endif()

execute_process(COMMAND ${compile} -DMRTBB_WRONG_SHAPE
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(status EQUAL 0)
  message(FATAL_ERROR "${SOURCE} compiled with a callable of the wrong shape")
endif()
string(FIND "${out}" "${EXPECTED}" found)
if(found EQUAL -1)
  message(FATAL_ERROR "${SOURCE} failed to compile, but the diagnostics do not name ${EXPECTED}:\n${out}")
endif()
message(STATUS "rejected, naming ${EXPECTED}")
