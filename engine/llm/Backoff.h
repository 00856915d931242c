#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace clade::llm {

/// The wait before retry number `attempt` (0 for the first retry): "full jitter", a uniform
/// draw in [0, min(cap, initial * 2^attempt)], which spreads clients that failed together
/// better than a fixed exponential schedule (AWS Architecture Blog, "Exponential Backoff And
/// Jitter"). `unit` is the draw in [0, 1], passed in so the function stays pure.
std::chrono::milliseconds fullJitterDelay(int attempt, std::chrono::milliseconds initial,
                                          std::chrono::milliseconds cap, double unit);

/// A Retry-After header value (RFC 9110 10.2.3): delay-seconds or an HTTP date, the wait
/// measured from `now`. nullopt when the value is neither; a date in the past waits 0.
std::optional<std::chrono::milliseconds> parseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now);

} // namespace clade::llm
