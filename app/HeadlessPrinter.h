#pragma once

#include "engine/run/RunProgress.h"
#include "engine/store/RunEvent.h"

#include <chrono>
#include <cstdio>
#include <string>

namespace clade::app {

/// Prints a run's events on the terminal: one line per node event and, on a terminal, a
/// progress bar kept on the last line. On a pipe or file: plain lines only, no escapes.
class HeadlessPrinter {
public:
    explicit HeadlessPrinter(std::FILE* out = stdout);
    void onEvent(const engine::RunEvent& event, const engine::RunProgress& progress);
    /// Clears the progress bar (before the final summary).
    void finish();

private:
    void printLine(const std::string& line);
    void drawBar(const engine::RunProgress& progress);

    std::FILE* m_out;
    bool m_terminal;
    bool m_barShown = false;
    engine::RunProgress m_last;
};

/// "1:05" / "2:03:04".
std::string formatDuration(double seconds);
/// The score with four decimals, or "-".
std::string formatScore(const std::optional<double>& score);
/// Unix seconds as local "2025-06-01 12:00:03", or "unknown" for none (an imported node
/// whose system recorded no time).
std::string formatTime(double unixSeconds);

} // namespace clade::app
