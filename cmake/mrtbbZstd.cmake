# libzstd (Debian libzstd-dev) ships no CMake package in Debian 12: define the imported target it
# lacks. The library links it privately; a static mrtbb still needs it at link time.
if(NOT TARGET mrtbb::zstd)
  find_path(MRTBB_ZSTD_INCLUDE_DIR zstd.h)
  find_library(MRTBB_ZSTD_LIBRARY zstd)
  if(MRTBB_ZSTD_INCLUDE_DIR AND MRTBB_ZSTD_LIBRARY)
    add_library(mrtbb::zstd UNKNOWN IMPORTED)
    set_target_properties(mrtbb::zstd PROPERTIES
      IMPORTED_LOCATION "${MRTBB_ZSTD_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${MRTBB_ZSTD_INCLUDE_DIR}")
  endif()
endif()
