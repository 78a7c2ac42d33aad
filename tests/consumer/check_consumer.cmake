# Installs mrtbb from MRTBB_BINARY_DIR into a scratch prefix, then configures, builds and runs the
# consumer project twice: through find_package on that prefix and through add_subdirectory.

function(run_step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "step failed (${status}): ${ARGN}\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
# The consumer finds its dependencies where the tested build found them (the tsan preset's oneTBB,
# for one); the environment's search path is ':'-separated.
string(REPLACE ";" ":" dependency_path "${PREFIX_PATH}")
set(ENV{CMAKE_PREFIX_PATH} "${dependency_path}")
file(REMOVE_RECURSE ${WORK_DIR})
file(WRITE ${WORK_DIR}/input.txt "b a b c b a\nb d\n")
run_step(${CMAKE_COMMAND} --install ${MRTBB_BINARY_DIR} --prefix ${prefix})

foreach(mode package subdirectory)
  set(build ${WORK_DIR}/build-${mode})
  set(args -S ${CMAKE_CURRENT_LIST_DIR} -B ${build} -G Ninja
      -DCMAKE_BUILD_TYPE=${BUILD_TYPE} "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
      "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}")
  if(mode STREQUAL "package")
    list(APPEND args -DCMAKE_PREFIX_PATH=${prefix})
  else()
    list(APPEND args -DMRTBB_SUBDIRECTORY=${MRTBB_SOURCE_DIR})
  endif()
  run_step(${CMAKE_COMMAND} ${args})
  run_step(${CMAKE_COMMAND} --build ${build})
  run_step(${build}/consumer ${WORK_DIR}/input.txt)
  if(NOT step_output STREQUAL "b 4\na 2\nc 1\n")
    message(FATAL_ERROR "consumer (${mode}) printed:\n${step_output}")
  endif()
  if(MPIEXEC)
    # Open MPI leaves memory allocated at exit, which LeakSanitizer would report (asan preset).
    run_step(${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0 ${MPIEXEC} -n 2 --allow-run-as-root --oversubscribe --mca btl self,vader
             ${build}/consumer_mpi ${WORK_DIR}/input.txt)
    if(NOT step_output STREQUAL "b 4\na 2\nc 1\n")
      message(FATAL_ERROR "consumer_mpi (${mode}) printed:\n${step_output}")
    endif()
  endif()
  message(STATUS "consumer via ${mode}: ok")
endforeach()
