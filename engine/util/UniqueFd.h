#pragma once

#include <cerrno>
#include <unistd.h>

namespace clade::engine {

/// Owns one file descriptor and closes it when it goes: move-only, like std::unique_ptr.
///
/// Header-only so that clade_llm, which may not link the engine, can use it too.
///
/// Closing never retries on EINTR: Linux releases the descriptor whatever close() returns,
/// so a second close() could hit a descriptor another thread has just been given. It
/// keeps errno as it was, so an error read after a failed call still names that call's
/// failure when a descriptor closes on the way out. A caller that must know whether the
/// last close() failed (a write reported only then) closes `release()` itself.
class UniqueFd {
public:
    UniqueFd() noexcept = default;
    explicit UniqueFd(int fd) noexcept : m_fd(fd < 0 ? -1 : fd) {}
    ~UniqueFd() { reset(); }

    UniqueFd(UniqueFd&& other) noexcept : m_fd(other.release()) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept
    {
        reset(other.release());
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;

    /// The descriptor, still owned here; -1 when none.
    int get() const noexcept { return m_fd; }
    explicit operator bool() const noexcept { return m_fd >= 0; }

    /// Gives the descriptor up without closing it.
    [[nodiscard]] int release() noexcept
    {
        const int fd = m_fd;
        m_fd = -1;
        return fd;
    }

    /// Closes the descriptor held (if any) and takes `fd` instead.
    void reset(int fd = -1) noexcept
    {
        if (m_fd >= 0 && m_fd != fd) {
            const int saved = errno;
            ::close(m_fd);
            errno = saved;
        }
        m_fd = fd < 0 ? -1 : fd;
    }

private:
    int m_fd = -1;
};

} // namespace clade::engine
