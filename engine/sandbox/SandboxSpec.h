#pragma once

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

/// Limits for one sandboxed command. A value <= 0 means "no limit".
struct SandboxLimits {
    double wallSeconds = 120;
    double cpuSeconds = 120; ///< with a cgroup: of the whole tree; else per process
    /// With a cgroup: the tree's memory, files in the private /tmp included, no swap; else
    /// each process's address space (RLIMIT_AS).
    int memoryMb = 1024;
    int pids = 128; ///< processes and threads of the command's tree (cgroup only)
    long long outputBytes = 4 << 20; ///< per stream (stdout, stderr)
    int tmpMb = 256;                 ///< size of the private /tmp and /dev/shm (together)
    /// The most each writable mount may hold, what was in it before the command included.
    /// The engine's scratch folders are made this size (ScratchSpace); any other writable
    /// folder is held to it by the disk watchdog (DiskWatch).
    int scratchMb = 1024;
    /// The most files, folders and links in each writable mount, and in /tmp and /dev/shm
    /// (together).
    int scratchInodes = 200000;
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
