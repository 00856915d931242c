#include "engine/importers/ImportCache.h"

#include "engine/importers/ImportFormats.h"
#include "engine/importers/ImportWriter.h"
#include "engine/store/RunFolder.h"

#include <cstdlib>
#include <functional>

namespace clade::engine {
namespace {

namespace fs = std::filesystem;

// A name that changes when the source does: its absolute path, size and modification time.
std::string cacheKey(const fs::path& source, const fs::path& file)
{
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    const auto mtime = fs::last_write_time(file, ec).time_since_epoch().count();
    const std::string signature = fs::absolute(source).lexically_normal().string() + "|" +
                                  std::to_string(size) + "|" + std::to_string(mtime);
    const auto hash = std::hash<std::string>{}(signature);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016zx", static_cast<std::size_t>(hash));
    return fs::absolute(source).filename().string() + "-" + hex;
}

} // namespace

fs::path importCacheFolder()
{
    if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache && *cache)
        return fs::path(cache) / "clade" / "imports";
    const char* home = std::getenv("HOME");
    return fs::path(home && *home ? home : "/tmp") / ".cache" / "clade" / "imports";
}

fs::path openableRunFolder(const fs::path& path, const std::function<void(const std::string&)>& progress)
{
    std::error_code ec;
    if (fs::is_directory(path, ec) && fs::exists(RunFolder{path}.runJson(), ec))
        return path;
    const auto detected = detectImportFormat(path);
    if (!detected)
        return path; // not importable: opening it says what a run folder lacks
    const fs::path cached = importCacheFolder() / cacheKey(path, detected->file);
    if (fs::exists(RunFolder{cached}.database(), ec)) {
        if (progress)
            progress("opening the earlier import of " + detected->file.string() + " (" + cached.string() + ")");
        return cached;
    }
    if (progress)
        progress("importing " + detected->file.string() + " (" + detected->format + ") into " + cached.string());
    const ImportResult result = writeImportedRun(readImportedRun(detected->file, detected->format), cached);
    if (progress)
        progress(std::to_string(result.nodes) + " nodes, " + std::to_string(result.warnings.size()) +
                 " warning(s); `clade import` lists them");
    return cached;
}

} // namespace clade::engine
