# lib/pkgconfig/mrtbb.pc, for builds that use pkg-config instead of CMake. The prefix is found from
# the file's own place (${pcfiledir}), so the package works wherever it is installed or unpacked.

# oneTBB and xxhash are in the public headers: their flags and libraries go to every user.
set(MRTBB_PC_REQUIRES "tbb libxxhash")
# A static libmrtbb needs its private libraries at every link, which a plain `pkg-config --libs`
# gives only from Requires; a shared one has them recorded in its own dependencies.
if(BUILD_SHARED_LIBS)
  string(JOIN " " MRTBB_PC_REQUIRES_PRIVATE ${MRTBB_PC_PRIVATE_REQUIRES})
else()
  string(JOIN " " MRTBB_PC_REQUIRES ${MRTBB_PC_REQUIRES} ${MRTBB_PC_PRIVATE_REQUIRES})
  set(MRTBB_PC_REQUIRES_PRIVATE "")
endif()

if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(MRTBB_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(MRTBB_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  # From <prefix>/<libdir>/pkgconfig back up to <prefix>.
  file(RELATIVE_PATH up "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
  string(REGEX REPLACE "/$" "" up "${up}")
  set(MRTBB_PC_PREFIX "\${pcfiledir}/${up}")
  set(MRTBB_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(MRTBB_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(MRTBB_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()

# Boost has no pkg-config file: its include directory, where the compiler does not search already.
set(MRTBB_PC_EXTRA_CFLAGS "")
get_target_property(boost_includes Boost::headers INTERFACE_INCLUDE_DIRECTORIES)
foreach(dir IN LISTS boost_includes)
  if(NOT dir IN_LIST CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES)
    string(APPEND MRTBB_PC_EXTRA_CFLAGS " -I${dir}")
  endif()
endforeach()

configure_file(${CMAKE_CURRENT_LIST_DIR}/mrtbb.pc.in ${PROJECT_BINARY_DIR}/mrtbb.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/mrtbb.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
