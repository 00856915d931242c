#include "engine/util/FolderUsage.h"

#include "engine/util/UniqueDir.h"
#include "engine/util/UniqueFd.h"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <set>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace clade::engine {
namespace {

class Walk {
public:
    Walk(long long stopAtBytes, long long stopAtEntries)
        : m_stopAtBytes(stopAtBytes), m_stopAtEntries(stopAtEntries)
    {
    }
    Walk(const Walk&) = delete;
    Walk& operator=(const Walk&) = delete;

    FolderUsage run(const std::filesystem::path& folder)
    {
        // O_PATH first: it opens a symlink or a FIFO itself without following or blocking.
        struct stat info {};
        if (const UniqueFd fd(::open(folder.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
            !fd || ::fstat(fd.get(), &info) != 0) {
            m_usage.unmeasured = "cannot open " + folder.string() + ": " + std::strerror(errno);
            return m_usage;
        }
        m_device = info.st_dev;
        count(info);
        if (S_ISDIR(info.st_mode))
            enter(AT_FDCWD, folder.c_str(), folder.string());
        while (!m_stack.empty() && !full())
            step();
        return m_usage;
    }

private:
    bool full() const
    {
        return (m_stopAtBytes > 0 && m_usage.bytes >= m_stopAtBytes) ||
               (m_stopAtEntries > 0 && m_usage.entries >= m_stopAtEntries);
    }

    void count(const struct stat& info)
    {
        ++m_usage.entries;
        // A file with more links is counted in bytes once, at the first name met.
        if (!S_ISDIR(info.st_mode) && info.st_nlink > 1 &&
            !m_linked.insert({info.st_dev, info.st_ino}).second)
            return;
        m_usage.bytes += static_cast<long long>(info.st_blocks) * 512;
    }

    void unmeasured(const std::string& why)
    {
        if (m_usage.unmeasured.empty())
            m_usage.unmeasured = why;
    }

    // Opens folder `name` below `parent` and pushes it. A folder replaced by a symlink or
    // a file since it was stat'ed fails O_NOFOLLOW|O_DIRECTORY and is skipped: its name
    // was counted, and a symlink is not followed.
    void enter(int parent, const char* name, const std::string& shown)
    {
        if (static_cast<int>(m_stack.size()) >= FolderUsage::kMaxDepth) {
            unmeasured("folders nested deeper than " + std::to_string(FolderUsage::kMaxDepth) +
                       " levels");
            return;
        }
        UniqueFd fd(::openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!fd) {
            if (errno == EACCES || errno == EPERM)
                unmeasured("cannot read folder " + shown + ": " + std::strerror(errno));
            return;
        }
        UniqueDir dir{::fdopendir(fd.get())};
        if (!dir) {
            unmeasured("cannot list folder " + shown);
            return;
        }
        static_cast<void>(fd.release()); // the listing has it now
        m_stack.push_back(std::move(dir));
    }

    void step()
    {
        DIR* dir = m_stack.back().get();
        errno = 0;
        const dirent* entry = ::readdir(dir);
        if (!entry) {
            if (errno != 0)
                unmeasured(std::string("cannot list a folder: ") + std::strerror(errno));
            m_stack.pop_back();
            return;
        }
        const char* name = entry->d_name;
        if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0)
            return;
        struct stat info {};
        if (::fstatat(::dirfd(dir), name, &info, AT_SYMLINK_NOFOLLOW) != 0)
            return; // removed since readdir
        count(info);
        // A mount below the folder is another file system's business; the sandbox can
        // make none, and the host's would be counted there.
        if (S_ISDIR(info.st_mode) && info.st_dev == m_device)
            enter(::dirfd(dir), name, name);
    }

    long long m_stopAtBytes;
    long long m_stopAtEntries;
    dev_t m_device = 0;
    FolderUsage m_usage;
    std::vector<UniqueDir> m_stack;
    std::set<std::pair<dev_t, ino_t>> m_linked;
};

} // namespace

FolderUsage measureFolder(const std::filesystem::path& folder, long long stopAtBytes,
                          long long stopAtEntries)
{
    return Walk(stopAtBytes, stopAtEntries).run(folder);
}

} // namespace clade::engine
