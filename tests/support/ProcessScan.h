#pragma once
// Looking for processes from tests: did anything a sandbox started survive it?

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/types.h>
#include <unistd.h>
#include <vector>

namespace testsupport {

/// Markers in command lines carry this process's pid, so two copies of a test running at
/// once (a developer's and CI's) never count each other's processes.
inline std::string tagged(const std::string& marker)
{
    return marker + "." + std::to_string(::getpid());
}

/// Host processes other than this one whose command line (arguments joined by spaces)
/// contains `needle`. Zombies have an empty command line and are not found.
inline std::vector<pid_t> processesMentioning(const std::string& needle)
{
    std::vector<pid_t> found;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        const auto pid = static_cast<pid_t>(std::stol(name));
        if (pid == ::getpid())
            continue;
        std::ifstream in(entry.path() / "cmdline", std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        std::string cmdline = text.str();
        std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
        if (cmdline.find(needle) != std::string::npos)
            found.push_back(pid);
    }
    return found;
}

inline int countProcesses(const std::string& needle)
{
    return static_cast<int>(processesMentioning(needle).size());
}

/// One line per process: pid, its parent, its state and its command line, for a failure
/// message that says what survived and who holds it.
inline std::string describeProcesses(const std::vector<pid_t>& pids)
{
    std::string text;
    for (pid_t pid : pids) {
        const std::filesystem::path dir = "/proc/" + std::to_string(pid);
        std::ifstream status(dir / "status");
        std::string line, state, parent;
        const auto value = [&line](size_t from) { return line.substr(line.find_first_not_of(" \t", from)); };
        while (std::getline(status, line)) {
            if (line.rfind("State:", 0) == 0)
                state = value(6);
            else if (line.rfind("PPid:", 0) == 0)
                parent = value(5);
        }
        std::ifstream in(dir / "cmdline", std::ios::binary);
        std::ostringstream cmdline;
        cmdline << in.rdbuf();
        std::string command = cmdline.str();
        std::replace(command.begin(), command.end(), '\0', ' ');
        text += "pid " + std::to_string(pid) + " ppid " + parent + " (" + state + "): " +
                command.substr(0, 300) + "\n";
    }
    return text;
}

} // namespace testsupport
