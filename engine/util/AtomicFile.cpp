#include "engine/util/AtomicFile.h"

#include "engine/util/UniqueFd.h"

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <system_error>
#include <unistd.h>

namespace clade::engine {
namespace {

[[noreturn]] void throwErrno(const std::string& what, const std::filesystem::path& path)
{
    throw std::system_error(errno, std::generic_category(), what + " " + path.string());
}

void writeAll(int fd, std::string_view data, const std::filesystem::path& path)
{
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            throwErrno("cannot write", path);
        }
        data.remove_prefix(static_cast<size_t>(n));
    }
}

} // namespace

void syncDirectory(const std::filesystem::path& dir)
{
    const UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd)
        throwErrno("cannot open folder", dir);
    if (::fsync(fd.get()) != 0)
        throwErrno("cannot sync folder", dir);
}

void writeScratchFile(const std::filesystem::path& path, std::string_view contents)
{
    const UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd)
        throwErrno("cannot create", path);
    writeAll(fd.get(), contents, path);
}

void writeFileAtomically(const std::filesystem::path& path, std::string_view contents,
                         bool syncFolder)
{
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
    std::filesystem::path temp = path;
    temp += ".tmp-" + std::to_string(::getpid());
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd)
        throwErrno("cannot create", temp);
    try {
        writeAll(fd.get(), contents, temp);
        if (::fsync(fd.get()) != 0)
            throwErrno("cannot sync", temp);
    } catch (...) {
        fd.reset();
        ::unlink(temp.c_str());
        throw;
    }
    fd.reset();
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        ::unlink(temp.c_str());
        throwErrno("cannot rename into", path);
    }
    if (syncFolder)
        syncDirectory(dir);
}

std::string readTextFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::system_error(errno, std::generic_category(), "cannot read " + path.string());
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

} // namespace clade::engine
