#pragma once

namespace clade::app {

/// Exit statuses of every verb (ARCHITECTURE.md "Command line").
enum ExitCode : int {
    ExitDone = 0,
    ExitRunFailed = 1,
    ExitBadInput = 2,
    ExitInterrupted = 130,
};

} // namespace clade::app
