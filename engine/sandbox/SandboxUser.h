#pragma once

#include <sys/types.h>

namespace clade::engine {

/// The uid sandboxed commands run as. An engine running as root switches to the user
/// `clade-sandbox` if it exists, else to nobody (65534), before starting a sandbox, so that
/// bubblewrap never maps anything to host root. An engine running as an ordinary user runs
/// sandboxes as itself. Folders the sandbox must write must be owned by this uid (chown
/// them when running as root), and every mounted host path must be reachable by it.
uid_t sandboxUid();
gid_t sandboxGid();

/// True when the engine runs as root and so switches to sandboxUid() in the child.
bool sandboxSwitchesUser();

} // namespace clade::engine
