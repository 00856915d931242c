#pragma once

#include <fstream>

// Timing, statistics and command-line helpers shared by the benchmarks (header-only: each
// benchmark is one translation unit).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <numeric>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace clade::bench {

using Clock = std::chrono::steady_clock;

inline double millisecondsSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// Times one call of `f` in milliseconds and adds it to `total`.
template <typename F> void timeInto(double& total, F&& f)
{
    const auto start = Clock::now();
    f();
    total += millisecondsSince(start);
}

/// Nearest-rank percentile (p in [0, 100]) of unsorted samples; 0 for none.
inline double percentile(std::vector<double> samples, double p)
{
    if (samples.empty())
        return 0;
    std::sort(samples.begin(), samples.end());
    const auto rank =
        static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(samples.size())));
    return samples[std::clamp<size_t>(rank, 1, samples.size()) - 1];
}

inline double median(const std::vector<double>& samples)
{
    if (samples.empty())
        return 0;
    std::vector<double> sorted = samples;
    std::sort(sorted.begin(), sorted.end());
    const size_t n = sorted.size();
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

inline double mean(const std::vector<double>& samples)
{
    if (samples.empty())
        return 0;
    return std::accumulate(samples.begin(), samples.end(), 0.0) /
           static_cast<double>(samples.size());
}

/// Median latency (ms) of a 4 KiB write + fsync of a file in `dir`, over 30 tries: what one
/// durable write costs on that disk right now. -1 if the file cannot be written.
inline double fsyncLatency(const std::filesystem::path& dir)
{
    const std::filesystem::path file = dir / "fsync-probe";
    const std::string block(4096, 'x');
    std::vector<double> samples;
    for (int i = 0; i < 30; ++i) {
        const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
            return -1;
        const auto start = Clock::now();
        const bool ok = ::write(fd, block.data(), block.size()) == 4096 && ::fsync(fd) == 0;
        samples.push_back(millisecondsSince(start));
        ::close(fd);
        if (!ok)
            return -1;
    }
    std::filesystem::remove(file);
    return median(samples);
}

/// Median latency (ms) of creating an empty file in a new folder `dir` (created here),
/// over 20 files left in place: what a file creation costs there right now. On ext4
/// without a journal it grows with the files recently deleted nearby on the disk, which
/// the allocator skips over one by one. -1 if the files cannot be created.
inline double createLatency(const std::filesystem::path& dir)
{
    std::filesystem::create_directories(dir);
    std::vector<double> samples;
    for (int i = 0; i < 20; ++i) {
        const std::filesystem::path file = dir / ("probe-" + std::to_string(i));
        const auto start = Clock::now();
        const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        samples.push_back(millisecondsSince(start));
        if (fd < 0)
            return -1;
        ::close(fd);
    }
    return median(samples);
}

/// Fixed-point text for the JSON line and the tables ("1.234").
inline std::string fixed(double value, int decimals = 3)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

/// Parses `--name N` style options: returns the value after `name` in argv, or `fallback`.
/// Exits with status 2 and a message when the value is not a positive integer.
inline int intOption(int argc, char** argv, std::string_view name, int fallback)
{
    for (int i = 1; i < argc; ++i) {
        if (argv[i] != name)
            continue;
        char* end = nullptr;
        const long value = i + 1 < argc ? std::strtol(argv[i + 1], &end, 10) : 0;
        if (i + 1 >= argc || *end != '\0' || value < 1 || value > 1000000) {
            std::fprintf(stderr, "%s: expected a positive number\n", std::string(name).c_str());
            std::exit(2);
        }
        return static_cast<int>(value);
    }
    return fallback;
}

/// The value after `name` in argv, or `fallback`; exits with status 2 if it is missing.
inline std::string stringOption(int argc, char** argv, std::string_view name, std::string fallback)
{
    for (int i = 1; i < argc; ++i) {
        if (argv[i] != name)
            continue;
        if (i + 1 >= argc) {
            std::fprintf(stderr, "%s: expected a value\n", std::string(name).c_str());
            std::exit(2);
        }
        return argv[i + 1];
    }
    return fallback;
}

inline bool hasFlag(int argc, char** argv, std::string_view name)
{
    for (int i = 1; i < argc; ++i)
        if (argv[i] == name)
            return true;
    return false;
}

/// Exits with status 2 naming the first argument that is not one of `known` (an option
/// listed in `withValue` also consumes the argument after it).
inline void rejectUnknown(int argc, char** argv, const std::vector<std::string_view>& known,
                          const std::vector<std::string_view>& withValue)
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (std::find(withValue.begin(), withValue.end(), arg) != withValue.end()) {
            ++i;
            continue;
        }
        if (std::find(known.begin(), known.end(), arg) == known.end()) {
            std::fprintf(stderr, "unknown argument '%s' (try --help)\n", argv[i]);
            std::exit(2);
        }
    }
}

// Peak and current resident memory of this process in MiB, from /proc/self/status.
inline double statusMiB(const std::string& key)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind(key + ":", 0) == 0)
            return std::stod(line.substr(key.size() + 1)) / 1024.0;
    return -1;
}

} // namespace clade::bench
