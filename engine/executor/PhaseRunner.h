#pragma once

#include <atomic>

namespace clade::engine {

/// The compute node's half of a phase (`clade phase-run`, started by the Slurm executor
/// as a job step). Reads the phase stream from `inFd` to its end: the spec, then each
/// mount's files. Re-creates the mounts in this host's scratch space, runs the command in
/// this host's sandbox (the backend the engine named, with the spec's limits), and writes
/// to `outFd`: where it runs, the output as it arrives, the result, each writable mount's
/// files after the command, and the end mark. `stop` (set on SIGTERM, which Slurm sends on
/// scancel or a time limit) cancels the command.
///
/// Returns 0 when the command ran (whatever it did: that is in the result), 1 when the
/// phase could not run here (a Failure frame says why, and the engine does not retry it).
int runPhaseStream(int inFd, int outFd, const std::atomic<bool>& stop);

} // namespace clade::engine
