#pragma once

#include <stdexcept>
#include <string>

struct git_repository;

namespace clade::git {

/// A libgit2 failure as a value. libgit2 keeps its last error per thread and the next
/// call may overwrite it, so it is copied out right where the call failed.
struct Error {
    int code = 0;  ///< the call's return value (GIT_ENOTFOUND, GIT_EEXISTS, ...)
    int klass = 0; ///< git_error_t: which libgit2 subsystem failed
    std::string message;

    /// The error the libgit2 call that just returned `code` left on this thread.
    static Error last(int code);
};

/// Thrown by the engine's git layer. what() says what was being done and where, then
/// libgit2's own message: "cannot create commit in /runs/a/repo.git: <libgit2 message>".
class GitException : public std::runtime_error {
public:
    GitException(const std::string& context, Error error);

    const Error& error() const { return m_error; }

private:
    Error m_error;
};

/// Throws GitException for the libgit2 call that just returned `code` on this thread.
/// `action` says what was being done ("create commit"); `repo`, if given, adds where.
[[noreturn]] void throwLastError(int code, const std::string& action,
                                 git_repository* repo = nullptr);

} // namespace clade::git
