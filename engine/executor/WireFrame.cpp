#include "engine/executor/WireFrame.h"

#include <stdexcept>

namespace clade::engine {

void appendU32(std::string& out, std::uint32_t value)
{
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<char>((value >> (8 * i)) & 0xffu));
}

std::uint32_t readU32(std::string_view bytes, size_t* offset)
{
    if (bytes.size() < *offset + 4)
        throw std::runtime_error("phase stream: a field is cut short");
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i)
        value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[*offset + i]))
                 << (8 * i);
    *offset += 4;
    return value;
}

void appendU64(std::string& out, std::uint64_t value)
{
    appendU32(out, static_cast<std::uint32_t>(value & 0xffffffffu));
    appendU32(out, static_cast<std::uint32_t>(value >> 32));
}

std::uint64_t readU64(std::string_view bytes, size_t* offset)
{
    const std::uint64_t low = readU32(bytes, offset);
    return low | (static_cast<std::uint64_t>(readU32(bytes, offset)) << 32);
}

void appendFrame(std::string& out, char type, std::string_view payload)
{
    if (payload.size() > kMaxFramePayload)
        throw std::runtime_error("phase stream: a frame of " + std::to_string(payload.size()) +
                                 " bytes is over the limit of " +
                                 std::to_string(kMaxFramePayload));
    out.push_back(type);
    appendU32(out, static_cast<std::uint32_t>(payload.size()));
    out.append(payload);
}

void FrameDecoder::feed(std::string_view bytes)
{
    // Drop what was consumed before growing, so a long stream does not keep every byte.
    if (m_offset > 0 && m_offset * 2 >= m_buffer.size()) {
        m_buffer.erase(0, m_offset);
        m_offset = 0;
    }
    m_buffer.append(bytes);
}

std::optional<WireFrame> FrameDecoder::next()
{
    if (pendingBytes() < 5)
        return std::nullopt;
    size_t at = m_offset + 1;
    const std::uint32_t length = readU32(m_buffer, &at);
    if (length > kMaxFramePayload)
        throw std::runtime_error("phase stream: a frame announces " + std::to_string(length) +
                                 " bytes, over the limit of " + std::to_string(kMaxFramePayload) +
                                 " (the stream is not a phase stream, or is corrupt)");
    if (m_buffer.size() - at < length)
        return std::nullopt;
    WireFrame frame{m_buffer[m_offset], m_buffer.substr(at, length)};
    m_offset = at + length;
    return frame;
}

} // namespace clade::engine
