#pragma once

#include "engine/sandbox/SandboxLimits.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace clade::engine {

/// A host folder made visible inside the sandbox.
///
/// The sandbox runs as an unprivileged user (see sandboxUid()), so `host` must be reachable
/// by that user (every parent folder searchable: nothing under /root, which is mode 0700),
/// and a writable mount must be owned by it. The engine's ScratchSpace does both.
struct Mount {
    std::filesystem::path host; ///< absolute host path; must exist
    std::string inside;         ///< absolute path inside the sandbox, not "/"
    bool writable = false;
};

/// One command to run in a sandbox.
struct SandboxSpec {
    /// argv[0] is an absolute path inside the sandbox (there is no PATH search), e.g.
    /// /usr/bin/python3.
    std::vector<std::string> argv;
    std::vector<Mount> mounts; ///< e.g. {scratch, "/agent", true}, {harness, "/harness", false}
    std::string workdir;       ///< inside path the command starts in; empty means "/"
    /// Extra variables on top of the fixed minimal base (PATH=/usr/bin:/bin, HOME=/tmp,
    /// LANG=C.UTF-8, PYTHONDONTWRITEBYTECODE=1); an entry here overrides the base.
    std::map<std::string, std::string> env;
    SandboxLimits limits;
    /// When set, the command's output (stdout and stderr, as they arrive, up to the output
    /// cap) is also appended to this host file, so a viewer can follow a long phase live.
    /// Not synced: it is a view of progress; the phase's result is what the engine keeps.
    std::filesystem::path liveOutput;
};

/// Why `spec` cannot be run (argv, mounts, workdir or env malformed, a mounted host path
/// missing); empty when it can. Both backends check this before starting anything.
std::string sandboxSpecError(const SandboxSpec& spec);

/// The environment a sandboxed command sees: the fixed base overridden by spec.env.
std::map<std::string, std::string> sandboxEnvironment(const SandboxSpec& spec);

} // namespace clade::engine
