#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clade::engine {

/// The unit of a phase stream (the bytes that carry a phase to a compute node and its
/// results back, over a Slurm step's standard input and output): one byte naming what the
/// frame holds, the payload's length as 4 little-endian bytes, the payload. Binary-safe, so
/// file contents and command output that are not text travel unchanged.
struct WireFrame {
    char type = 0;
    std::string payload;
};

/// A frame larger than this is not one a phase writes: the stream is corrupt.
/// (A file's frame holds all of it, and a writable folder may hold 1 GB by default.)
inline constexpr std::uint32_t kMaxFramePayload = 2047u << 20;

/// Appends one frame to `out`.
void appendFrame(std::string& out, char type, std::string_view payload);

/// Splits bytes, fed as they arrive, into whole frames.
class FrameDecoder {
public:
    void feed(std::string_view bytes);
    /// The next whole frame, or nullopt until more bytes arrive. Throws std::runtime_error
    /// when a frame announces more than kMaxFramePayload.
    std::optional<WireFrame> next();
    /// Bytes received that do not make a whole frame yet.
    size_t pendingBytes() const { return m_buffer.size() - m_offset; }

private:
    std::string m_buffer;
    size_t m_offset = 0;
};

/// Little-endian integers inside payloads (entry paths, modes).
void appendU32(std::string& out, std::uint32_t value);
/// Reads a 4-byte value at `*offset` and advances it; throws std::runtime_error past the end.
std::uint32_t readU32(std::string_view bytes, size_t* offset);
void appendU64(std::string& out, std::uint64_t value);
std::uint64_t readU64(std::string_view bytes, size_t* offset);

} // namespace clade::engine
