# Installs mrtbb from MRTBB_BINARY_DIR into a scratch prefix and checks what a user of the package
# gets: the installed files (the wordcount command, its man page and bash completion, pkg-config and
# license files); the consumer project configured, built and run twice, through find_package on that
# prefix and through add_subdirectory; and a program built with nothing but
# `pkg-config --cflags --libs mrtbb`. With SHARED_SOURCE_DIR set, it builds and installs that source
# tree as shared libraries first, checks their versioned names, and uses them (package mode only).

include(${CMAKE_CURRENT_LIST_DIR}/run_step.cmake)

function(expect_output what expected)
  if(NOT step_output STREQUAL expected)
    message(FATAL_ERROR "${what} printed:\n${step_output}\ninstead of:\n${expected}")
  endif()
endfunction()

function(expect_files)
  foreach(file IN LISTS ARGN)
    if(NOT EXISTS ${prefix}/${file})
      message(FATAL_ERROR "not installed: ${file}")
    endif()
  endforeach()
endfunction()

set(prefix ${WORK_DIR}/prefix)
set(counts "b 4\na 2\nc 1\n")
# The consumer finds its dependencies where the tested build found them (the tsan preset's oneTBB,
# for one); the environment's search path is ':'-separated.
string(REPLACE ";" ":" dependency_path "${PREFIX_PATH}")
set(ENV{CMAKE_PREFIX_PATH} "${dependency_path}")
separate_arguments(cxx_flags UNIX_COMMAND "${CXX_FLAGS}")
separate_arguments(linker_flags UNIX_COMMAND "${LINKER_FLAGS}")
file(REMOVE_RECURSE ${WORK_DIR})
file(WRITE ${WORK_DIR}/input.txt "b a b c b a\nb d\n")

if(SHARED_SOURCE_DIR)
  set(MRTBB_BINARY_DIR ${WORK_DIR}/build-shared-mrtbb)
  run_step(${CMAKE_COMMAND} -S ${SHARED_SOURCE_DIR} -B ${MRTBB_BINARY_DIR} -G Ninja
           -DCMAKE_BUILD_TYPE=${BUILD_TYPE} "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
           "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}" "-DCMAKE_SHARED_LINKER_FLAGS=${LINKER_FLAGS}"
           -DBUILD_SHARED_LIBS=ON -DMRTBB_INSTALL=ON -DMRTBB_BUILD_APPS=ON -DMRTBB_BUILD_TESTS=OFF
           -DMRTBB_BUILD_EXAMPLES=OFF -DMRTBB_BUILD_BENCH=OFF -DMRTBB_MAN_PAGE=OFF)
  run_step(${CMAKE_COMMAND} --build ${MRTBB_BINARY_DIR})
endif()
run_step(${CMAKE_COMMAND} --install ${MRTBB_BINARY_DIR} --prefix ${prefix})

file(STRINGS ${prefix}/include/mrtbb/version.hpp version_line REGEX "MRTBB_VERSION_STRING")
string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" version "${version_line}")
file(GLOB_RECURSE pc_files RELATIVE ${prefix} ${prefix}/*/pkgconfig/mrtbb.pc)
list(GET pc_files 0 pc_file)
get_filename_component(libdir ${prefix}/${pc_file} DIRECTORY)
get_filename_component(libdir ${libdir} DIRECTORY)
expect_files(include/mrtbb/mrtbb.hpp include/mrtbb/text_job.hpp share/doc/mrtbb/LICENSE
             share/doc/mrtbb/CHANGELOG.md)

if(SHARED_SOURCE_DIR)
  # libmrtbb.so -> libmrtbb.so.MAJOR -> libmrtbb.so.MAJOR.MINOR.PATCH, whose SONAME is the middle one.
  string(REGEX MATCH "^[0-9]+" major "${version}")
  foreach(name mrtbb mrtbb_mpi)
    if(name STREQUAL "mrtbb_mpi" AND NOT EXISTS ${libdir}/lib${name}.so)
      continue()
    endif()
    file(READ_SYMLINK ${libdir}/lib${name}.so link)
    file(READ_SYMLINK ${libdir}/lib${name}.so.${major} soname_link)
    if(NOT link STREQUAL "lib${name}.so.${major}" OR NOT soname_link STREQUAL "lib${name}.so.${version}")
      message(FATAL_ERROR "lib${name}.so -> ${link} -> ${soname_link}")
    endif()
    run_step(objdump -p ${libdir}/lib${name}.so.${version})
    if(NOT step_output MATCHES "SONAME +lib${name}\\.so\\.${major}\n")
      message(FATAL_ERROR "lib${name}.so.${version} has no SONAME lib${name}.so.${major}")
    endif()
  endforeach()
endif()

if(HAS_WORDCOUNT)
  expect_files(bin/wordcount share/bash-completion/completions/wordcount)
  run_step(${prefix}/bin/wordcount --version)
  expect_output("wordcount --version" "wordcount (mrtbb) ${version}\n")
  run_step(${prefix}/bin/wordcount --format tsv ${WORK_DIR}/input.txt)
  expect_output("the installed wordcount" "b\t4\na\t2\nc\t1\nd\t1\n")
  if(MAN_PAGE)
    # The man page is made from --help: every long option is in it.
    expect_files(share/man/man1/wordcount.1)
    file(READ ${prefix}/share/man/man1/wordcount.1 man_page)
    run_step(${prefix}/bin/wordcount --help)
    string(REGEX MATCHALL "--[a-z][a-z0-9-]*" options "${step_output}")
    list(REMOVE_DUPLICATES options)
    foreach(option IN LISTS options)
      string(REPLACE "-" "\\\\-" escaped "${option}")
      if(NOT man_page MATCHES "${escaped}")
        message(FATAL_ERROR "the man page lacks ${option}")
      endif()
    endforeach()
  endif()
endif()

foreach(mode package subdirectory)
  if(SHARED_SOURCE_DIR AND mode STREQUAL "subdirectory")
    continue()
  endif()
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
  expect_output("consumer (${mode})" "${counts}")
  if(MPIEXEC AND NOT SHARED_SOURCE_DIR)
    # Open MPI leaves memory allocated at exit, which LeakSanitizer would report (asan preset).
    run_step(${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0 ${MPIEXEC} -n 2 --allow-run-as-root --oversubscribe --mca btl self,vader
             ${build}/consumer_mpi ${WORK_DIR}/input.txt)
    expect_output("consumer_mpi (${mode})" "${counts}")
  endif()
  message(STATUS "consumer via ${mode}: ok")
endforeach()

# The same program from the command line, with only what pkg-config says.
set(ENV{PKG_CONFIG_PATH} ${libdir}/pkgconfig)
run_step(pkg-config --modversion mrtbb)
expect_output("pkg-config --modversion mrtbb" "${version}\n")
run_step(pkg-config --cflags mrtbb)
separate_arguments(pc_cflags UNIX_COMMAND "${step_output}")
run_step(pkg-config --libs mrtbb)
separate_arguments(pc_libs UNIX_COMMAND "${step_output}")
run_step(${CXX} -std=c++20 ${cxx_flags} ${pc_cflags} ${CMAKE_CURRENT_LIST_DIR}/main.cpp
         -o ${WORK_DIR}/pkg-config-consumer ${linker_flags} ${pc_libs})
run_step(${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${libdir} ${WORK_DIR}/pkg-config-consumer
         ${WORK_DIR}/input.txt)
expect_output("consumer (pkg-config)" "${counts}")
message(STATUS "consumer via pkg-config: ok")
