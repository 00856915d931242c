# cmake -DCLADE=... -DGZIP=... -DMAN_PAGE=.../clade.1.gz -DBASH_COMPLETION=.../clade
#   -P GenerateCliDocs.cmake
# Runs the built clade to print its man page and bash completion. The display variables
# are cleared so the documents never depend on the build host's session.
foreach(var DISPLAY WAYLAND_DISPLAY QT_QPA_PLATFORM)
  unset(ENV{${var}})
endforeach()

function(clade_print output)
  execute_process(COMMAND ${CLADE} help ${ARGN} OUTPUT_FILE ${output}
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    file(REMOVE ${output})
    message(FATAL_ERROR "clade help ${ARGN} failed (${rc}): ${err}")
  endif()
endfunction()

get_filename_component(man_dir ${MAN_PAGE} DIRECTORY)
get_filename_component(completion_dir ${BASH_COMPLETION} DIRECTORY)
file(MAKE_DIRECTORY ${man_dir} ${completion_dir})

string(REGEX REPLACE "\\.gz$" "" man_page ${MAN_PAGE})
clade_print(${man_page} --man)
# -n: no name or time stamp in the header, so the same page gives the same bytes (Debian
# policy 12.1 asks for gzip -9n).
execute_process(COMMAND ${GZIP} -9nf ${man_page} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip -9nf ${man_page} failed (${rc})")
endif()

clade_print(${BASH_COMPLETION} --bash-completion)
