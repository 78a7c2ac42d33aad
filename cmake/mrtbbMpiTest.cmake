# mrtbb_add_mpi_test(NAME name RANKS n COMMAND program args...): a test that runs `program` on n
# ranks of one host. Open MPI asks for --allow-run-as-root to run as root, and --oversubscribe to
# start more ranks than this machine has cores; btl self,vader keeps the traffic in shared memory.
# Open MPI leaves memory allocated at exit, which LeakSanitizer would report under the asan preset.
function(mrtbb_add_mpi_test)
  cmake_parse_arguments(ARG "" "NAME;RANKS" "COMMAND" ${ARGN})
  list(POP_FRONT ARG_COMMAND program)
  add_test(NAME ${ARG_NAME}
    COMMAND ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${ARG_RANKS}
            --allow-run-as-root --oversubscribe --mca btl self,vader
            ${MPIEXEC_PREFLAGS} ${program} ${MPIEXEC_POSTFLAGS} ${ARG_COMMAND})
  set_tests_properties(${ARG_NAME} PROPERTIES
    PROCESSORS ${ARG_RANKS}
    TIMEOUT 300
    ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0;OMPI_MCA_rmaps_base_oversubscribe=1")
endfunction()
