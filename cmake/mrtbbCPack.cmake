# `cpack -G DEB` in the build directory: one Debian package with the library, its headers, CMake
# and pkg-config files, and the wordcount command.
set(CPACK_PACKAGE_NAME mrtbb)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "MapReduce on oneTBB for C++20, and the wordcount command")
set(CPACK_PACKAGE_DESCRIPTION
    "A C++20 library that maps inputs to key/value pairs in parallel on oneTBB, combines them by \
key and reduces them; with wordcount, a fast, Unicode-aware word counter built on it.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${MRTBB_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# The programs' and shared libraries' run-time dependencies, as dpkg-shlibdeps finds them...
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# ...and what users compile and link against: what the headers include, and the static library's
# private dependencies.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libtbb-dev, libboost1.81-dev | libboost-dev (>= 1.81), libxxhash-dev, libutf8proc-dev, \
zlib1g-dev, libzstd-dev")
include(CPack)
