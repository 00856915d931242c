#include "engine/git/PackWriter.h"

#include "engine/util/AtomicFile.h"

#include <QCryptographicHash>

#include <git2.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <unistd.h>

namespace clade::git {
namespace {

namespace fs = std::filesystem;

void appendBigEndian32(std::string& out, std::uint32_t value)
{
    const char bytes[4] = {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
                           static_cast<char>(value >> 8), static_cast<char>(value)};
    out.append(bytes, 4);
}

std::uint32_t readBigEndian32(const std::string& in, std::size_t at)
{
    const auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(in[at + i])); };
    return byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
}

// A version-2 index: magic, version, then the 256-entry fan-out table, whose last entry
// is the object count.
constexpr std::size_t kIndexFanoutEnd = 8 + 256 * 4;

std::string readFile(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The object count of a version-2 index, or nullopt when `idx` does not start like one.
std::optional<std::uint32_t> indexObjectCount(const std::string& idx)
{
    if (idx.size() < kIndexFanoutEnd || idx.compare(0, 4, "\xfftOc", 4) != 0 || readBigEndian32(idx, 4) != 2)
        return std::nullopt;
    return readBigEndian32(idx, 8 + 255 * 4);
}

std::string sha1(const std::string& bytes)
{
    const QByteArray digest = QCryptographicHash::hash(QByteArrayView(bytes.data(), static_cast<qsizetype>(bytes.size())),
                                                       QCryptographicHash::Sha1);
    return std::string(digest.constData(), static_cast<std::size_t>(digest.size()));
}

std::string hexOf(const std::string& raw)
{
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (const unsigned char c : raw) {
        hex.push_back(digits[c >> 4]);
        hex.push_back(digits[c & 15]);
    }
    return hex;
}

// A pack entry's header: the type in bits 4-6 of the first byte, the size in its low four
// bits and then seven bits a byte, the high bit saying another byte follows.
void appendEntryHeader(std::string& out, int type, std::size_t size)
{
    unsigned char byte = static_cast<unsigned char>((type & 7) << 4 | (size & 15));
    size >>= 4;
    while (size) {
        out.push_back(static_cast<char>(byte | 0x80));
        byte = static_cast<unsigned char>(size & 0x7f);
        size >>= 7;
    }
    out.push_back(static_cast<char>(byte));
}

void appendCompressed(std::string& out, const std::string& data)
{
    uLongf length = compressBound(static_cast<uLong>(data.size()));
    const std::size_t start = out.size();
    out.resize(start + length);
    if (compress2(reinterpret_cast<Bytef*>(out.data() + start), &length,
                  reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size()),
                  Z_DEFAULT_COMPRESSION) != Z_OK)
        throw std::runtime_error("cannot compress an object for a pack");
    out.resize(start + length);
}

struct IndexEntry {
    std::array<unsigned char, 20> id;
    std::uint32_t crc;
    std::uint32_t offset;
};

std::string indexFor(std::vector<IndexEntry> entries, const std::string& packChecksum)
{
    std::sort(entries.begin(), entries.end(), [](const IndexEntry& a, const IndexEntry& b) { return a.id < b.id; });
    std::string idx("\xfftOc", 4);
    appendBigEndian32(idx, 2);
    std::array<std::uint32_t, 256> fanout{};
    for (const auto& e : entries)
        ++fanout[e.id[0]];
    std::uint32_t running = 0;
    for (auto& count : fanout) {
        running += count;
        appendBigEndian32(idx, running);
    }
    for (const auto& e : entries)
        idx.append(reinterpret_cast<const char*>(e.id.data()), e.id.size());
    for (const auto& e : entries)
        appendBigEndian32(idx, e.crc);
    for (const auto& e : entries)
        appendBigEndian32(idx, e.offset);
    idx += packChecksum;
    idx += sha1(idx);
    return idx;
}

} // namespace

std::string writePack(const fs::path& packDir, const std::vector<PackObject>& objects)
{
    std::string pack("PACK", 4);
    appendBigEndian32(pack, 2);
    appendBigEndian32(pack, static_cast<std::uint32_t>(objects.size()));
    std::vector<IndexEntry> entries;
    entries.reserve(objects.size());
    for (const PackObject& object : objects) {
        const std::size_t offset = pack.size();
        if (offset >= 0x80000000u) // a version-2 index needs its large-offset table past 2 GiB
            throw std::runtime_error("a pack of this size is not written here: " + std::to_string(offset) + " bytes");
        appendEntryHeader(pack, object.type, object.data.size());
        appendCompressed(pack, object.data);
        IndexEntry entry{};
        const git_oid raw = object.id.toGit();
        std::memcpy(entry.id.data(), raw.id, entry.id.size());
        entry.crc = static_cast<std::uint32_t>(
            crc32(0, reinterpret_cast<const Bytef*>(pack.data() + offset), static_cast<uInt>(pack.size() - offset)));
        entry.offset = static_cast<std::uint32_t>(offset);
        entries.push_back(entry);
    }
    const std::string checksum = sha1(pack);
    pack += checksum;
    const std::string name = "pack-" + hexOf(checksum);
    const fs::path packFile = packDir / (name + ".pack");
    const fs::path indexFile = packDir / (name + ".idx");
    fs::create_directories(packDir);
    // The pack first, the index last: libgit2 and git find a pack through its index. The
    // index is not fsynced: it is derived from the pack, and a run opened after a crash
    // rebuilds an index that did not reach the disk whole (repairPackFolder). The folder
    // sync makes both names durable.
    engine::writeFileAtomically(packFile, pack, /*syncFolder=*/false);
    const fs::path indexTemp = fs::path(indexFile.string() + ".tmp-" + std::to_string(::getpid()));
    try {
        engine::writeScratchFile(indexTemp, indexFor(std::move(entries), checksum));
        fs::rename(indexTemp, indexFile);
        engine::syncDirectory(packDir);
    } catch (...) {
        std::error_code ec;
        fs::remove(indexTemp, ec);
        fs::remove(indexFile, ec);
        fs::remove(packFile, ec);
        throw;
    }
    return name;
}

bool packIndexIsWhole(const fs::path& idxFile, const fs::path& packFile)
{
    const std::string idx = readFile(idxFile);
    const auto count = indexObjectCount(idx);
    if (!count)
        return false;
    const std::size_t tables = kIndexFanoutEnd + *count * (20 + 4 + 4) + 40;
    // What is past the tables is the large-offset table: 8 bytes an entry.
    if (idx.size() < tables || (idx.size() - tables) % 8 != 0)
        return false;
    if (sha1(idx.substr(0, idx.size() - 20)) != idx.substr(idx.size() - 20))
        return false;
    std::ifstream packIn(packFile, std::ios::binary | std::ios::ate);
    const std::streamoff packSize = packIn ? static_cast<std::streamoff>(packIn.tellg()) : 0;
    if (packSize < 12 + 20)
        return false;
    std::string header(12, '\0');
    std::string trailer(20, '\0');
    packIn.seekg(0);
    packIn.read(header.data(), 12);
    packIn.seekg(packSize - 20);
    packIn.read(trailer.data(), 20);
    return packIn && header.compare(0, 4, "PACK") == 0 && readBigEndian32(header, 8) == *count &&
           trailer == idx.substr(idx.size() - 40, 20);
}

std::vector<Oid> readPackIndexIds(const fs::path& idxFile)
{
    const std::string bytes = readFile(idxFile);
    const auto found = indexObjectCount(bytes);
    if (!found)
        throw std::runtime_error(idxFile.string() + ": not a version-2 pack index");
    const std::uint32_t count = *found;
    const std::size_t header = kIndexFanoutEnd;
    if (bytes.size() < header + std::size_t(count) * 20)
        throw std::runtime_error(idxFile.string() + ": pack index cut short");
    std::vector<Oid> ids;
    ids.reserve(count);
    for (std::uint32_t i = 0; i < count; ++i) {
        git_oid raw;
        std::memcpy(raw.id, bytes.data() + header + std::size_t(i) * 20, 20);
        ids.push_back(Oid::fromGit(raw));
    }
    return ids;
}

} // namespace clade::git
