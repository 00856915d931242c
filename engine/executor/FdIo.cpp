#include "engine/executor/FdIo.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <unistd.h>

namespace clade::engine {

std::string readAllFromFd(int fd)
{
    std::string text;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw std::runtime_error(std::string("cannot read the phase stream: ") +
                                     std::strerror(errno));
        if (n == 0)
            return text;
        text.append(buffer, static_cast<size_t>(n));
    }
}

bool writeAllToFd(int fd, std::string_view bytes)
{
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
}

} // namespace clade::engine
