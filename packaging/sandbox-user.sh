# The unprivileged user that sandboxed code runs as when Clade runs as root. Its name has
# one home, this line: scripts/install-deps.sh sources this file, the Debian package's
# postinst is built from it, and CMake hands the name to the engine
# (cmake/CladeSandboxUser.cmake, engine/sandbox/SandboxUser.cpp).
CLADE_SANDBOX_USER=clade-sandbox

# Creates the user unless it exists: a system user with no home, no shell and no password.
# Arguments, if any, are a command to run useradd through (sudo).
clade_ensure_sandbox_user() {
  id "$CLADE_SANDBOX_USER" >/dev/null 2>&1 && return 0
  "$@" useradd --system --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$CLADE_SANDBOX_USER"
}
