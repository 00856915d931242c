#pragma once

#include <cstdio>
#include <string>

namespace clade::engine {

/// A number as the messages a person reads print it: four significant digits ("0.9524",
/// "1.2e+04"). Review findings and guard verdicts use it, so one value reads the same in
/// both.
inline std::string readableNumber(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", value);
    return text;
}

} // namespace clade::engine
