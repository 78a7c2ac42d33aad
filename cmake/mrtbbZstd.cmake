# libzstd (Debian libzstd-dev) ships no CMake package in Debian 12: define the imported target it
# lacks. The library links it privately; a static mrtbb still needs it at link time.
include(${CMAKE_CURRENT_LIST_DIR}/mrtbbImportLibrary.cmake)
mrtbb_import_library(mrtbb::zstd zstd.h zstd)
