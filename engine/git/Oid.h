#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

struct git_oid;

namespace clade::git {

/// A SHA-1 object id as a plain value (20 bytes), usable as a map key. The null id
/// (all zeros) means "no object", e.g. the empty tree as the base of a diff.
class Oid {
public:
    static constexpr std::size_t Size = 20;

    Oid() = default;

    /// Parses 40 hex digits (either case). Throws std::invalid_argument otherwise.
    static Oid fromHex(std::string_view hex);
    static Oid fromGit(const git_oid& id);
    git_oid toGit() const;

    /// 40 lowercase hex digits.
    std::string hex() const;
    /// The first `length` hex digits (at most 40), e.g. for labels.
    std::string shortHex(std::size_t length = 7) const;
    bool isNull() const;

    const std::array<unsigned char, Size>& bytes() const { return m_bytes; }

    friend bool operator==(const Oid&, const Oid&) = default;
    friend auto operator<=>(const Oid&, const Oid&) = default;

private:
    std::array<unsigned char, Size> m_bytes{};
};

} // namespace clade::git

template <> struct std::hash<clade::git::Oid> {
    std::size_t operator()(const clade::git::Oid& oid) const noexcept;
};
