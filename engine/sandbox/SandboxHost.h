#pragma once

#include <string>
#include <vector>

// What the engine does once per process for its sandboxes (call from start-up code).
namespace clade::engine {

/// Makes the engine a child subreaper (PR_SET_CHILD_SUBREAPER): a process that a sandboxed
/// command leaves behind when its parent dies is then re-parented to the engine rather
/// than to the host's init, and ProcessRunner kills and reaps it after each command
/// (identified by its cgroup, or, when the engine runs as root, by the sandbox uid). Call
/// once at start-up; returns false if the kernel refused (errno set).
bool becomeChildSubreaper();

/// True once becomeChildSubreaper() succeeded.
bool isChildSubreaper();

/// Removes what crashed or killed engines left of their sandboxes: their cgroups
/// (killing any process still in them), named for an engine pid that no longer exists.
/// Scratch folders are ScratchSpace::sweepStale()'s. Returns how many dead engines' cgroup
/// folders were removed. Call once at start-up, before the first sandbox runs.
int sweepStaleSandboxState();

/// Sandbox cgroups of this engine that exist right now (none between commands); for
/// tests and diagnostics.
std::vector<std::string> liveSandboxCgroups();

/// What the engine found about cgroups on this host and which it uses, one line each
/// (for `clade sandbox --verbose` and the log at start).
std::vector<std::string> sandboxCgroupNotes();

/// Non-empty when each sandboxed command pays for a slow cgroup v1 move on this host: the
/// cost and how to lift it (said once at the start of a run).
std::string sandboxSlowLaunchHint();

} // namespace clade::engine
