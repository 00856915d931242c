#include "engine/executor/TreePack.h"

#include "engine/util/ScratchSpace.h"
#include "engine/util/UniqueFd.h"

#include <algorithm>
#include <optional>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace clade::engine {

namespace fs = std::filesystem;

namespace {

constexpr mode_t kPermissionBits = 0777;

std::string entryPayload(const std::string& relative, mode_t mode, std::string_view rest)
{
    std::string payload;
    appendU32(payload, static_cast<std::uint32_t>(relative.size()));
    payload += relative;
    appendU32(payload, static_cast<std::uint32_t>(mode & kPermissionBits));
    payload += rest;
    return payload;
}

std::string errnoText() { return std::strerror(errno); }

/// A regular file as one entry frame's tail: its bytes ('f'), or its size and data extents
/// when it has holes ('s'). Nullopt when it is no longer a regular file (replaced by a link).
struct FileBody {
    char type = EntryFrame::File;
    std::string body;
    long long bytes = 0; ///< data bytes read
};

void readExactly(int fd, const fs::path& file, off_t offset, size_t length, std::string& out)
{
    const size_t start = out.size();
    out.resize(start + length);
    size_t done = 0;
    while (done < length) {
        const ssize_t n = ::pread(fd, out.data() + start + done, length - done,
                                  offset + static_cast<off_t>(done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw std::runtime_error(file.string() + ": cannot read (" + errnoText() + ")");
        if (n == 0)
            break; // shrank while read: send what there was
        done += static_cast<size_t>(n);
    }
    out.resize(start + done);
}

std::optional<FileBody> readRegularFile(const fs::path& file)
{
    UniqueFd fd(::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (!fd) {
        if (errno == ELOOP || errno == ENXIO)
            return std::nullopt;
        throw std::runtime_error(file.string() + ": cannot read (" + errnoText() + ")");
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode))
        return std::nullopt;
    FileBody body;
    const auto size = static_cast<std::uint64_t>(info.st_size);
    const bool sparse = static_cast<std::uint64_t>(info.st_blocks) * 512 < size;
    auto checkSize = [&] {
        if (body.body.size() > kMaxFramePayload - 4096)
            throw std::runtime_error(file.string() + ": holds more than a phase stream carries (" +
                                     std::to_string(kMaxFramePayload) + " bytes)");
    };
    if (!sparse) {
        readExactly(fd.get(), file, 0, static_cast<size_t>(size), body.body);
        body.bytes = static_cast<long long>(body.body.size());
        checkSize();
        return body;
    }
    body.type = EntryFrame::SparseFile;
    appendU64(body.body, size);
    off_t at = 0;
    for (;;) {
        const off_t data = ::lseek(fd.get(), at, SEEK_DATA);
        if (data < 0)
            break; // ENXIO: no data after `at`
        off_t hole = ::lseek(fd.get(), data, SEEK_HOLE);
        if (hole < 0)
            hole = static_cast<off_t>(size);
        for (off_t offset = data; offset < hole;) {
            const auto length = static_cast<size_t>(std::min<off_t>(hole - offset, 1 << 30));
            appendU64(body.body, static_cast<std::uint64_t>(offset));
            const size_t lengthAt = body.body.size();
            appendU32(body.body, 0);
            const size_t before = body.body.size();
            readExactly(fd.get(), file, offset, length, body.body);
            const auto got = static_cast<std::uint32_t>(body.body.size() - before);
            for (int i = 0; i < 4; ++i)
                body.body[lengthAt + i] = static_cast<char>((got >> (8 * i)) & 0xffu);
            body.bytes += got;
            checkSize();
            if (got < length)
                return body;
            offset += static_cast<off_t>(length);
        }
        at = hole;
    }
    return body;
}

void packFolder(const fs::path& folder, const std::string& relative, std::string& out,
                PackCounts& counts)
{
    std::vector<fs::path> children;
    for (const auto& entry : fs::directory_iterator(folder))
        children.push_back(entry.path());
    std::sort(children.begin(), children.end());
    for (const fs::path& child : children) {
        const std::string path =
            relative.empty() ? child.filename().string() : relative + "/" + child.filename().string();
        std::error_code ec;
        const auto status = fs::symlink_status(child, ec);
        if (ec)
            continue; // gone since the listing
        const auto mode = static_cast<mode_t>(status.permissions());
        if (fs::is_symlink(status)) {
            const auto target = fs::read_symlink(child, ec);
            if (ec)
                continue;
            appendFrame(out, EntryFrame::Link, entryPayload(path, 0777, target.string()));
        } else if (fs::is_directory(status)) {
            appendFrame(out, EntryFrame::Folder, entryPayload(path, mode, {}));
            packFolder(child, path, out, counts);
        } else if (fs::is_regular_file(status)) {
            const auto content = readRegularFile(child);
            if (!content) {
                ++counts.skipped;
                continue;
            }
            counts.bytes += content->bytes;
            appendFrame(out, content->type, entryPayload(path, mode, content->body));
        } else {
            ++counts.skipped;
            continue;
        }
        ++counts.entries;
    }
}

/// Why `relative` cannot be an entry's path; empty when it can.
std::string pathProblem(const std::string& relative)
{
    if (relative.empty())
        return "an empty path";
    if (relative.front() == '/')
        return "an absolute path";
    if (relative.find('\0') != std::string::npos)
        return "a path with a NUL byte";
    size_t start = 0;
    while (start <= relative.size()) {
        const size_t end = std::min(relative.find('/', start), relative.size());
        const std::string_view part(relative.data() + start, end - start);
        if (part.empty() || part == "." || part == "..")
            return "a path with an empty, \".\" or \"..\" part";
        start = end + 1;
    }
    return {};
}

std::string parentOf(const std::string& relative)
{
    const auto slash = relative.rfind('/');
    return slash == std::string::npos ? std::string() : relative.substr(0, slash);
}

void writeAll(int fd, const fs::path& file, std::string_view content, off_t offset)
{
    size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::pwrite(fd, content.data() + done, content.size() - done,
                                   offset + static_cast<off_t>(done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw std::runtime_error(file.string() + ": cannot write (" + errnoText() + ")");
        done += static_cast<size_t>(n);
    }
}

/// `content` is the file's bytes, or with `sparse` its size and extents (EntryFrame::SparseFile).
void writeNewFile(const fs::path& file, mode_t mode, std::string_view content, bool sparse)
{
    UniqueFd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                       mode & kPermissionBits));
    if (!fd)
        throw std::runtime_error(file.string() + ": cannot create (" + errnoText() + ")");
    if (!sparse) {
        writeAll(fd.get(), file, content, 0);
    } else {
        size_t at = 0;
        const std::uint64_t size = readU64(content, &at);
        if (size > static_cast<std::uint64_t>(std::numeric_limits<off_t>::max()) ||
            ::ftruncate(fd.get(), static_cast<off_t>(size)) != 0)
            throw std::runtime_error(file.string() + ": cannot make it " + std::to_string(size) +
                                     " bytes (" + errnoText() + ")");
        while (at < content.size()) {
            const std::uint64_t offset = readU64(content, &at);
            const std::uint32_t length = readU32(content, &at);
            if (content.size() - at < length || offset + length > size)
                throw std::runtime_error("phase stream: an extent of " + file.string() +
                                         " lies outside the file or is cut short");
            writeAll(fd.get(), file, content.substr(at, length), static_cast<off_t>(offset));
            at += length;
        }
    }
    // open() applied the umask; the sender's bits are what the phase saw.
    ::fchmod(fd.get(), mode & kPermissionBits);
}

} // namespace

PackCounts packTree(const fs::path& root, std::string& out)
{
    PackCounts counts;
    std::error_code ec;
    const auto status = fs::symlink_status(root, ec);
    if (ec || !fs::exists(status))
        throw std::runtime_error(root.string() + ": no such file or folder to send");
    if (fs::is_regular_file(status)) {
        const auto content = readRegularFile(root);
        if (!content)
            throw std::runtime_error(root.string() + ": not a regular file");
        appendFrame(out, content->type,
                    entryPayload({}, static_cast<mode_t>(status.permissions()), content->body));
        counts.entries = 1;
        counts.bytes = content->bytes;
        return counts;
    }
    if (!fs::is_directory(status))
        throw std::runtime_error(root.string() + ": expected a folder or a regular file");
    packFolder(root, {}, out, counts);
    return counts;
}

TreeUnpacker::TreeUnpacker(fs::path target) : m_target(std::move(target))
{
    std::error_code ec;
    if (fs::is_directory(fs::symlink_status(m_target, ec)))
        m_folders.insert(std::string());
}

bool TreeUnpacker::isEntry(char frameType)
{
    return frameType == EntryFrame::Folder || frameType == EntryFrame::File ||
           frameType == EntryFrame::SparseFile || frameType == EntryFrame::Link;
}

void TreeUnpacker::add(const WireFrame& entry)
{
    if (!isEntry(entry.type))
        throw std::runtime_error("phase stream: expected a file, folder or link entry");
    size_t at = 0;
    const std::uint32_t pathLength = readU32(entry.payload, &at);
    if (entry.payload.size() - at < pathLength)
        throw std::runtime_error("phase stream: an entry's path is cut short");
    const std::string relative = entry.payload.substr(at, pathLength);
    at += pathLength;
    const auto mode = static_cast<mode_t>(readU32(entry.payload, &at) & kPermissionBits);
    const std::string_view rest = std::string_view(entry.payload).substr(at);

    // The one file of a file mount: the target itself, which must not exist yet.
    const bool sparse = entry.type == EntryFrame::SparseFile;
    if (relative.empty() && (entry.type == EntryFrame::File || sparse) && m_folders.empty()) {
        writeNewFile(m_target, mode, rest, sparse);
        return;
    }
    if (const std::string problem = pathProblem(relative); !problem.empty())
        throw std::runtime_error("phase stream: refused an entry with " + problem + " ('" +
                                 relative + "')");
    if (!m_folders.count(parentOf(relative)))
        throw std::runtime_error("phase stream: refused '" + relative +
                                 "': its folder is not one the stream made before it");
    const fs::path place = m_target / relative;
    if (entry.type == EntryFrame::Folder) {
        if (::mkdir(place.c_str(), (mode | 0700) & kPermissionBits) != 0)
            throw std::runtime_error(place.string() + ": cannot create (" + errnoText() + ")");
        ::chmod(place.c_str(), (mode | 0700) & kPermissionBits);
        m_folders.insert(relative);
    } else if (entry.type == EntryFrame::File || sparse) {
        writeNewFile(place, mode, rest, sparse);
    } else if (::symlink(std::string(rest).c_str(), place.c_str()) != 0) {
        throw std::runtime_error(place.string() + ": cannot create link (" + errnoText() + ")");
    }
}

void emptyFolder(const fs::path& folder)
{
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec))
        removeTree(entry.path());
}

} // namespace clade::engine
