#pragma once

#include "engine/git/Oid.h"

#include <memory>
#include <string_view>

struct git_blob;
struct git_repository;

namespace clade::git {

/// File contents in the object database (RAII over git_blob).
class Blob {
public:
    /// Throws GitException if `id` is not a blob in `repo`.
    static Blob lookup(git_repository* repo, const Oid& id);
    /// Stores `content` byte for byte: no filters (a user's core.autocrlf must not
    /// change what a snapshot holds).
    static Oid create(git_repository* repo, std::string_view content);

    /// Valid while this Blob lives.
    std::string_view content() const;

private:
    struct Deleter {
        void operator()(git_blob* blob) const;
    };
    explicit Blob(git_blob* blob) : m_blob(blob) {}

    std::unique_ptr<git_blob, Deleter> m_blob;
};

} // namespace clade::git
