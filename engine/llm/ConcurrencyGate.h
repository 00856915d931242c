#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>

namespace clade::llm {

/// A counting semaphore shared by every thread that uses one client, so a run with many
/// workers sends at most `limit` requests at once. Unlike std::counting_semaphore, a waiter
/// gives up when its cancellation flag turns true.
class ConcurrencyGate {
public:
    explicit ConcurrencyGate(int limit);

    /// Blocks until a slot is free; false (and no slot) when `cancelled` said so first.
    bool acquire(const std::function<bool()>& cancelled);
    void release();

    int limit() const { return m_limit; }

private:
    std::mutex m_mutex;
    std::condition_variable m_freed;
    const int m_limit;
    int m_inUse = 0;
};

} // namespace clade::llm
