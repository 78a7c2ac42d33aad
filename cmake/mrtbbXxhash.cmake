# xxhash (Debian libxxhash-dev) ships no CMake package: define the imported target it lacks. The
# public headers call XXH3 through xxhash.h, so users link it too; the installed config finds it on
# their machine through this same file.
if(NOT TARGET mrtbb::xxhash)
  find_path(MRTBB_XXHASH_INCLUDE_DIR xxhash.h)
  find_library(MRTBB_XXHASH_LIBRARY xxhash)
  if(MRTBB_XXHASH_INCLUDE_DIR AND MRTBB_XXHASH_LIBRARY)
    add_library(mrtbb::xxhash UNKNOWN IMPORTED)
    set_target_properties(mrtbb::xxhash PROPERTIES
      IMPORTED_LOCATION "${MRTBB_XXHASH_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${MRTBB_XXHASH_INCLUDE_DIR}")
  endif()
endif()
