#include "engine/sandbox/SandboxSpec.h"

#include <set>
#include <system_error>

namespace clade::engine {
namespace {

bool hasNul(const std::string& text)
{
    return text.find('\0') != std::string::npos;
}

// Absolute, no empty, "." or ".." component, no trailing slash: bwrap and the unsafe
// backend's prefix translation then agree on what the path means.
bool isCleanAbsolute(const std::string& path)
{
    if (path.size() < 2 || path.front() != '/' || path.back() == '/' || hasNul(path))
        return false;
    size_t start = 1;
    while (start <= path.size()) {
        const size_t end = std::min(path.find('/', start), path.size());
        const std::string part = path.substr(start, end - start);
        if (part.empty() || part == "." || part == "..")
            return false;
        start = end + 1;
    }
    return true;
}

} // namespace

std::string sandboxSpecError(const SandboxSpec& spec)
{
    if (spec.argv.empty())
        return "no command to run";
    if (spec.argv.front().empty() || spec.argv.front().front() != '/')
        return "the command must be an absolute path inside the sandbox (there is no PATH "
               "search): '" +
               spec.argv.front() + "'";
    for (const auto& arg : spec.argv)
        if (hasNul(arg))
            return "a command argument contains a NUL byte";
    std::set<std::string> insides;
    for (const auto& mount : spec.mounts) {
        if (!isCleanAbsolute(mount.inside))
            return "mount point '" + mount.inside + "' must be an absolute path other than /";
        if (!insides.insert(mount.inside).second)
            return "mount point '" + mount.inside + "' is used twice";
        std::error_code error;
        if (!mount.host.is_absolute() || !std::filesystem::exists(mount.host, error))
            return "host path '" + mount.host.string() + "' mounted on " + mount.inside +
                   " does not exist";
    }
    if (!spec.workdir.empty() && spec.workdir != "/" && !isCleanAbsolute(spec.workdir))
        return "workdir '" + spec.workdir + "' must be an absolute path";
    for (const auto& [name, value] : spec.env)
        if (name.empty() || name.find('=') != std::string::npos || hasNul(name) || hasNul(value))
            return "invalid environment variable name '" + name + "'";
    return {};
}

std::map<std::string, std::string> sandboxEnvironment(const SandboxSpec& spec)
{
    std::map<std::string, std::string> env = {
        {"PATH", "/usr/bin:/bin"},
        {"HOME", "/tmp"},
        {"LANG", "C.UTF-8"},
        {"PYTHONDONTWRITEBYTECODE", "1"},
    };
    for (const auto& [name, value] : spec.env)
        env[name] = value;
    return env;
}

} // namespace clade::engine
