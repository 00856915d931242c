#pragma once

#include <map>
#include <string>
#include <vector>

namespace clade::engine {

/// What the score phase printed: `{"tasks": {id: number}, "metrics": {name: number}}`.
struct ScoreOutput {
    std::map<std::string, double> tasks;
    std::map<std::string, double> metrics;
};

/// Parses and checks the score phase's stdout against the tasks it was asked to score.
/// Anything else (not JSON, NaN or Infinity, a missing or unexpected task, a value that is
/// not a finite number) is an InputError naming `source` (the harness's score command):
/// the harness broke its contract, which no candidate can cause.
ScoreOutput parseScoreOutput(const std::string& text, const std::vector<std::string>& tasks,
                             const std::string& source);

} // namespace clade::engine
