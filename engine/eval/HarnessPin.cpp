#include "engine/eval/HarnessPin.h"

#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"

#include <QCryptographicHash>

#include <algorithm>
#include <fcntl.h>
#include <fstream>
#include <unistd.h>
#include <vector>

namespace clade::engine {
namespace fs = std::filesystem;

namespace {

struct Entry {
    std::string relative;
    fs::path path;
    bool directory = false;
    bool executable = false;
};

std::vector<Entry> listFolder(const fs::path& folder)
{
    if (!fs::is_directory(folder))
        throw InputError(folder.string() + ": harness folder is missing (expected a folder "
                                           "with the scoring scripts)");
    std::vector<Entry> entries;
    for (auto it = fs::recursive_directory_iterator(folder); it != fs::recursive_directory_iterator();
         ++it) {
        const auto status = it->symlink_status();
        const std::string relative = it->path().lexically_relative(folder).generic_string();
        if (relative.find("__pycache__") != std::string::npos)
            continue; // Python's byte-code caches are not part of the harness
        if (fs::is_symlink(status) || (!fs::is_regular_file(status) && !fs::is_directory(status)))
            throw InputError(it->path().string() +
                             ": harness may contain only regular files and folders "
                             "(expected no symlinks or special files)");
        const bool executable =
            (status.permissions() & fs::perms::owner_exec) != fs::perms::none;
        entries.push_back({relative, it->path(), fs::is_directory(status), executable});
    }
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.relative < b.relative; });
    return entries;
}

} // namespace

std::string hashFolder(const fs::path& folder)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const auto& entry : listFolder(folder)) {
        if (entry.directory)
            continue;
        hash.addData(QByteArrayView(entry.relative.data(), qsizetype(entry.relative.size())));
        hash.addData(entry.executable ? QByteArrayView("\0x\0", 3) : QByteArrayView("\0-\0", 3));
        const std::string contents = readTextFile(entry.path);
        const std::string size = std::to_string(contents.size()) + '\0';
        hash.addData(QByteArrayView(size.data(), qsizetype(size.size())));
        hash.addData(QByteArrayView(contents.data(), qsizetype(contents.size())));
    }
    return hash.result().toHex().toStdString();
}

void copyFolder(const fs::path& source, const fs::path& target)
{
    const auto entries = listFolder(source);
    fs::create_directory(target);
    fs::permissions(target, fs::perms(0755));
    for (const auto& entry : entries) {
        const fs::path destination = target / entry.relative;
        if (entry.directory) {
            fs::create_directory(destination);
            fs::permissions(destination, fs::perms(0755));
            continue;
        }
        writeFileAtomically(destination, readTextFile(entry.path));
        fs::permissions(destination, entry.executable ? fs::perms(0755) : fs::perms(0644));
    }
    syncDirectory(target);
}

void verifyHarness(const fs::path& folder, const std::string& expectedSha256)
{
    const std::string actual = hashFolder(folder);
    if (actual != expectedSha256)
        throw InputError(folder.string() + ": harness changed since the run started (sha256 " +
                         actual.substr(0, 12) + ", expected " + expectedSha256.substr(0, 12) +
                         " as recorded in run.json); refusing to score with it");
}

} // namespace clade::engine
