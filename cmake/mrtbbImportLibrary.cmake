# mrtbb_import_library(TARGET HEADER LIBRARY): defines the imported target TARGET for a Debian
# library that ships no CMake package, from its header and library file, where both are found.
# Used by the build and, installed beside it, by the package's config on the user's machine.
function(mrtbb_import_library target header library)
  if(TARGET ${target})
    return()
  endif()
  string(MAKE_C_IDENTIFIER "${library}" name)
  string(TOUPPER "${name}" name)
  find_path(MRTBB_${name}_INCLUDE_DIR ${header})
  find_library(MRTBB_${name}_LIBRARY ${library})
  if(MRTBB_${name}_INCLUDE_DIR AND MRTBB_${name}_LIBRARY)
    add_library(${target} UNKNOWN IMPORTED)
    set_target_properties(${target} PROPERTIES
      IMPORTED_LOCATION "${MRTBB_${name}_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${MRTBB_${name}_INCLUDE_DIR}")
  endif()
endfunction()
