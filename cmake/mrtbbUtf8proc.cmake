# utf8proc (Debian libutf8proc-dev) ships no CMake package: define the imported target it lacks.
include(${CMAKE_CURRENT_LIST_DIR}/mrtbbImportLibrary.cmake)
mrtbb_import_library(mrtbb::utf8proc utf8proc.h utf8proc)
