#pragma once

#include <string>

namespace clade::engine {

/// A path field of /proc/<pid>/mountinfo as the file system knows it: the kernel writes a
/// blank, tab, newline and backslash in a path as \040, \011, \012 and \134.
std::string unescapeMountField(const std::string& field);

} // namespace clade::engine
