# CLADE_SANDBOX_USER: the sandbox user's name, read from packaging/sandbox-user.sh, where the
# set-up script and the Debian package's postinst take it from too.
file(STRINGS ${PROJECT_SOURCE_DIR}/packaging/sandbox-user.sh clade_user_line
     REGEX "^CLADE_SANDBOX_USER=")
if(NOT clade_user_line MATCHES "^CLADE_SANDBOX_USER=([a-z_][a-z0-9_-]*)$")
  message(FATAL_ERROR "packaging/sandbox-user.sh: expected a line CLADE_SANDBOX_USER=NAME "
                      "(a user name in lower case), got '${clade_user_line}'")
endif()
set(CLADE_SANDBOX_USER ${CMAKE_MATCH_1})
