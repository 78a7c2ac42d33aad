# utf8proc (Debian libutf8proc-dev) ships no CMake package: define the imported target it lacks.
if(NOT TARGET mrtbb::utf8proc)
  find_path(MRTBB_UTF8PROC_INCLUDE_DIR utf8proc.h)
  find_library(MRTBB_UTF8PROC_LIBRARY utf8proc)
  if(MRTBB_UTF8PROC_INCLUDE_DIR AND MRTBB_UTF8PROC_LIBRARY)
    add_library(mrtbb::utf8proc UNKNOWN IMPORTED)
    set_target_properties(mrtbb::utf8proc PROPERTIES
      IMPORTED_LOCATION "${MRTBB_UTF8PROC_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${MRTBB_UTF8PROC_INCLUDE_DIR}")
  endif()
endif()
