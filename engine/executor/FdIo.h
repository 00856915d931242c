#pragma once

#include <string>
#include <string_view>

namespace clade::engine {

/// Reads `fd` to its end (retrying on EINTR). Throws std::runtime_error on a read error.
std::string readAllFromFd(int fd);

/// Writes all of `bytes` to a blocking `fd`. False when the reader is gone (EPIPE) or the
/// write fails otherwise.
bool writeAllToFd(int fd, std::string_view bytes);

} // namespace clade::engine
