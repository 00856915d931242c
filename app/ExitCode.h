#pragma once

namespace clade::app {

/// Exit statuses of every verb (ARCHITECTURE.md "Command line").
enum ExitCode : int {
    ExitDone = 0,
    ExitRunFailed = 1,
    ExitBadInput = 2,
    ExitInterrupted = 130,
};

/// What each status means, as `clade --help` and the man page say it.
struct ExitCodeMeaning {
    ExitCode code;
    const char* meaning;
};
inline constexpr ExitCodeMeaning kExitCodeMeanings[] = {
    {ExitDone, "done"},
    {ExitRunFailed, "the run failed"},
    {ExitBadInput, "bad usage or bad input"},
    {ExitInterrupted, "stopped by Ctrl-C or SIGTERM (`clade resume` continues)"},
};

} // namespace clade::app
