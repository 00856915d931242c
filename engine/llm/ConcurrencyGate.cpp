#include "engine/llm/ConcurrencyGate.h"

#include <algorithm>
#include <chrono>

namespace clade::llm {

namespace {
// How often a waiter looks at its cancellation flag: the flag is a plain atomic set by
// someone else, so there is nothing to notify on.
constexpr std::chrono::milliseconds kCancelPoll{20};
} // namespace

ConcurrencyGate::ConcurrencyGate(int limit) : m_limit(std::max(1, limit)) {}

bool ConcurrencyGate::acquire(const std::function<bool()>& cancelled)
{
    std::unique_lock lock(m_mutex);
    while (m_inUse >= m_limit) {
        if (cancelled())
            return false;
        m_freed.wait_for(lock, kCancelPoll);
    }
    if (cancelled())
        return false;
    ++m_inUse;
    return true;
}

void ConcurrencyGate::release()
{
    {
        std::lock_guard lock(m_mutex);
        --m_inUse;
    }
    m_freed.notify_one();
}

} // namespace clade::llm
