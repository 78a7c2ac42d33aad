# Installs mrtbb from MRTBB_BINARY_DIR into a scratch prefix and compiles every installed public
# header alone, as a user's code includes it, under strict warnings (the consumer project's
# header_check target).

include(${CMAKE_CURRENT_LIST_DIR}/run_step.cmake)

set(prefix ${WORK_DIR}/prefix)
string(REPLACE ";" ":" dependency_path "${PREFIX_PATH}")
set(ENV{CMAKE_PREFIX_PATH} "${dependency_path}")
file(REMOVE_RECURSE ${WORK_DIR})
run_step(${CMAKE_COMMAND} --install ${MRTBB_BINARY_DIR} --prefix ${prefix})
run_step(${CMAKE_COMMAND} -S ${CMAKE_CURRENT_LIST_DIR} -B ${WORK_DIR}/build -G Ninja
         -DCMAKE_BUILD_TYPE=${BUILD_TYPE} "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
         -DCMAKE_PREFIX_PATH=${prefix} -DMRTBB_HEADER_CHECK_DIR=${prefix}/include)
run_step(${CMAKE_COMMAND} --build ${WORK_DIR}/build --target header_check)
message(STATUS "every public header compiles clean alone")
