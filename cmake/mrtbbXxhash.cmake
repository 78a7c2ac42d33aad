# xxhash (Debian libxxhash-dev) ships no CMake package: define the imported target it lacks. The
# public headers call XXH3 through xxhash.h, so users link it too; the installed config finds it on
# their machine through this same file.
include(${CMAKE_CURRENT_LIST_DIR}/mrtbbImportLibrary.cmake)
mrtbb_import_library(mrtbb::xxhash xxhash.h xxhash)
