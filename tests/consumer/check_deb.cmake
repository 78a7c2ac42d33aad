# Makes the Debian package of MRTBB_BINARY_DIR with cpack and checks its control fields and the
# files it holds (dpkg-deb), without installing it.

include(${CMAKE_CURRENT_LIST_DIR}/run_step.cmake)

file(REMOVE_RECURSE ${WORK_DIR})
run_step(cpack -G DEB --config ${MRTBB_BINARY_DIR}/CPackConfig.cmake -B ${WORK_DIR})
file(GLOB debs ${WORK_DIR}/mrtbb_${VERSION}_*.deb)
list(LENGTH debs count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "expected one mrtbb_${VERSION}_*.deb in ${WORK_DIR}, found: ${debs}")
endif()

run_step(dpkg-deb --field ${debs} Package Version Maintainer Depends Description)
foreach(field "Package: mrtbb\n" "Version: ${VERSION}\n" "Maintainer: [^\n]+<[^\n]+@[^\n]+>\n"
              "Depends: [^\n]*libtbb-dev" "Depends: [^\n]*libtbb12" "Depends: [^\n]*libxxhash-dev"
              "Depends: [^\n]*libutf8proc-dev"
              "Depends: [^\n]*zlib1g-dev" "Depends: [^\n]*libzstd-dev" "Description: [^\n]*MapReduce")
  if(NOT step_output MATCHES "${field}")
    message(FATAL_ERROR "the package's control fields lack ${field}:\n${step_output}")
  endif()
endforeach()

run_step(dpkg-deb --contents ${debs})
set(contents "${step_output}")
set(expected ./usr/include/mrtbb/mrtbb.hpp ./usr/include/mrtbb/version.hpp
             ./usr/lib/cmake/mrtbb/mrtbbConfig.cmake ./usr/lib/pkgconfig/mrtbb.pc
             ./usr/share/doc/mrtbb/LICENSE ./usr/share/doc/mrtbb/CHANGELOG.md)
if(HAS_WORDCOUNT)
  list(APPEND expected ./usr/bin/wordcount ./usr/share/bash-completion/completions/wordcount)
  if(MAN_PAGE)
    list(APPEND expected ./usr/share/man/man1/wordcount.1)
  endif()
endif()
foreach(path IN LISTS expected)
  if(NOT contents MATCHES " ${path}\n")
    message(FATAL_ERROR "the package lacks ${path}:\n${contents}")
  endif()
endforeach()
if(contents MATCHES " \\./usr/local/")
  message(FATAL_ERROR "the package installs under /usr/local:\n${contents}")
endif()
message(STATUS "package ${debs}: ok")
