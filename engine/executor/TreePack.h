#pragma once

#include "engine/executor/WireFrame.h"

#include <filesystem>
#include <set>
#include <string>

namespace clade::engine {

/// Entry frames of a phase stream, one per file-system entry of a mounted folder (or the
/// one file of a file mount). Payload: the relative path ('/'-separated; empty for the
/// file of a file mount) as a 4-byte length and its bytes, the permission bits as 4 bytes,
/// then the file's content or the link's target.
namespace EntryFrame {
inline constexpr char Folder = 'd';
inline constexpr char File = 'f';
inline constexpr char Link = 'l';
/// A file with holes: its size as 8 bytes, then each data extent as offset (8 bytes),
/// length (4 bytes) and bytes. A sparse file travels as what it holds on disk, which the
/// writable folders' limits bound, not as its apparent size, which nothing bounds.
inline constexpr char SparseFile = 's';
} // namespace EntryFrame

/// What packTree() sent, and what it left out (sockets, fifos, devices: nothing a checkout
/// or a phase's output needs, and nothing a compute node should re-create).
struct PackCounts {
    long long entries = 0;
    long long bytes = 0;
    int skipped = 0;
};

/// Appends `root` (a folder, or one regular file) to `out` as entry frames, parents before
/// children, names in byte order. Never follows a symbolic link: links travel as links,
/// and a file that becomes a link while it is read is skipped. Throws std::runtime_error
/// when `root` is neither a folder nor a regular file, or cannot be read.
PackCounts packTree(const std::filesystem::path& root, std::string& out);

/// Re-creates packed entries in a fresh place. An entry is refused (std::runtime_error,
/// naming it) unless its path is relative, free of "." and "..", and its parent is a
/// folder this unpacker made: nothing lands outside the target, and nothing is written
/// through a link, whatever the stream says. Set-user-id, set-group-id and sticky bits
/// are dropped; folders keep owner rwx so the rest of the stream can be written.
class TreeUnpacker {
public:
    /// `target`: an empty folder, or for a file mount a path that does not exist yet.
    explicit TreeUnpacker(std::filesystem::path target);

    static bool isEntry(char frameType);
    void add(const WireFrame& entry);

private:
    std::filesystem::path m_target;
    std::set<std::string> m_folders; ///< relative paths of folders made here; "" is the target
};

/// Removes everything inside `folder` (never following links), keeping the folder itself:
/// a tmpfs mount point stays a mount point.
void emptyFolder(const std::filesystem::path& folder);

} // namespace clade::engine
