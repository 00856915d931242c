#include "engine/git/Oid.h"

#include <git2.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace clade::git {
namespace {

static_assert(Oid::Size == GIT_OID_RAWSZ);

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

Oid Oid::fromHex(std::string_view hex)
{
    if (hex.size() != 2 * Size)
        throw std::invalid_argument("not a 40-digit object id: '" + std::string(hex) + "'");
    Oid oid;
    for (std::size_t i = 0; i < Size; ++i) {
        const int high = hexValue(hex[2 * i]);
        const int low = hexValue(hex[2 * i + 1]);
        if (high < 0 || low < 0)
            throw std::invalid_argument("not a hex object id: '" + std::string(hex) + "'");
        oid.m_bytes[i] = static_cast<unsigned char>(high * 16 + low);
    }
    return oid;
}

Oid Oid::fromGit(const git_oid& id)
{
    Oid oid;
    std::memcpy(oid.m_bytes.data(), id.id, Size);
    return oid;
}

git_oid Oid::toGit() const
{
    git_oid id;
    std::memcpy(id.id, m_bytes.data(), Size);
    return id;
}

std::string Oid::hex() const
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string text(2 * Size, '0');
    for (std::size_t i = 0; i < Size; ++i) {
        text[2 * i] = digits[m_bytes[i] >> 4];
        text[2 * i + 1] = digits[m_bytes[i] & 0xf];
    }
    return text;
}

std::string Oid::shortHex(std::size_t length) const
{
    return hex().substr(0, std::min(length, 2 * Size));
}

bool Oid::isNull() const
{
    return std::all_of(m_bytes.begin(), m_bytes.end(), [](unsigned char b) { return b == 0; });
}

} // namespace clade::git

std::size_t std::hash<clade::git::Oid>::operator()(const clade::git::Oid& oid) const noexcept
{
    // SHA-1 bytes are already uniformly distributed: the first word is a good hash.
    std::size_t value = 0;
    std::memcpy(&value, oid.bytes().data(), sizeof value);
    return value;
}
