#pragma once

#include <string>

namespace clade::engine {

/// A place in a file's new text that uses something risky, found by one of the language
/// scanners; the risky-call detector keeps those touching an added line.
struct RiskyReference {
    int firstLine = 0; ///< 1-based; a call can span lines (getattr(os,\n 'system'))
    int lastLine = 0;
    std::string name;  ///< what is used: "os.system", "subprocess.run", "eval", "rm -rf"
    std::string why;   ///< a RiskLabel: "starts a process", "removes files", ...
};

} // namespace clade::engine
