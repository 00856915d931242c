#include "engine/util/SafeRead.h"

#include "engine/util/UniqueFd.h"

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <fcntl.h>
#include <vector>
#include <sys/stat.h>
#include <unistd.h>

namespace clade::engine {

std::optional<std::string> readSandboxFile(const std::filesystem::path& root,
                                           const std::filesystem::path& relative,
                                           long long maxBytes, std::string* why)
{
    auto refuse = [&](const std::string& reason) -> std::optional<std::string> {
        if (why)
            *why = (root / relative).string() + ": " + reason;
        return std::nullopt;
    };
    if (relative.is_absolute())
        return refuse("not a relative path");
    // Walk component by component with O_NOFOLLOW so no symlink anywhere is followed.
    UniqueFd fd(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd)
        return refuse(std::strerror(errno));
    std::vector<std::string> parts;
    for (const auto& part : relative)
        parts.push_back(part.string());
    for (size_t i = 0; i < parts.size(); ++i) {
        if (parts[i] == ".." || parts[i] == "." || parts[i].empty())
            return refuse("path leaves the sandbox folder");
        const bool last = i + 1 == parts.size();
        const int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (last ? O_NONBLOCK : O_DIRECTORY);
        UniqueFd next(::openat(fd.get(), parts[i].c_str(), flags));
        if (!next)
            return refuse(errno == ELOOP ? "is a symlink (refused)"
                                         : std::string(std::strerror(errno)));
        fd = std::move(next);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
        return refuse("not a regular file (refused)");
    std::string data;
    data.resize(static_cast<size_t>(std::min<long long>(st.st_size, maxBytes)));
    size_t filled = 0;
    while (filled < data.size()) {
        const ssize_t n = ::read(fd.get(), data.data() + filled, data.size() - filled);
        if (n <= 0)
            break;
        filled += static_cast<size_t>(n);
    }
    data.resize(filled);
    return data;
}

} // namespace clade::engine
