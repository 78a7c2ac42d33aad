# The wordcount command as a package installs it: the programs, a man page made from their --help
# and --version by help2man, and bash completion.
install(TARGETS wordcount RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET wordcount-mpi)
  install(TARGETS wordcount-mpi RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(FILES ${PROJECT_SOURCE_DIR}/packaging/wordcount.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME wordcount)

if(MRTBB_MAN_PAGE)
  # A package without its man page is a broken package: no help2man is an error, not a skip.
  find_program(MRTBB_HELP2MAN help2man)
  if(NOT MRTBB_HELP2MAN)
    message(FATAL_ERROR "help2man not found: it makes wordcount's man page. Install the Debian "
                        "package help2man (scripts/install-deps does), or configure with "
                        "-DMRTBB_MAN_PAGE=OFF for no man page.")
  endif()
  set(man_page ${PROJECT_BINARY_DIR}/man/wordcount.1)
  add_custom_command(OUTPUT ${man_page}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
    COMMAND ${MRTBB_HELP2MAN} --no-info --section 1
            --name "count the words of files, directories or standard input"
            --output ${man_page} $<TARGET_FILE:wordcount>
    DEPENDS wordcount
    COMMENT "Generating the man page wordcount.1"
    VERBATIM)
  add_custom_target(wordcount_man_page ALL DEPENDS ${man_page})
  install(FILES ${man_page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endif()
