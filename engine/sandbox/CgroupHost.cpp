#include "engine/sandbox/CgroupHost.h"

#include "engine/sandbox/CgroupFiles.h"
#include "engine/util/MountInfo.h"
#include "engine/util/UniqueDir.h"

#include <cerrno>
#include <cstdlib>
#include <dirent.h>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace clade::engine {
namespace {

using namespace cgroupfs;

// How long a sweep may spend killing the processes of one stale cgroup.
constexpr int kSweepKillMs = 2000;

struct MountEntry {
    std::string root;  ///< the part of the hierarchy mounted here
    std::string point; ///< where
    std::string type;  ///< cgroup or cgroup2
    std::set<std::string> options;
};

struct OwnCgroup {
    std::string key; ///< "0:" or "4:memory"
    std::set<std::string> controllers;
    std::string path;
};

std::set<std::string> splitSet(const std::string& text, char separator)
{
    std::set<std::string> items;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, separator))
        if (!item.empty())
            items.insert(item);
    return items;
}

std::vector<MountEntry> cgroupMounts(const std::string& mountInfo)
{
    std::vector<MountEntry> mounts;
    std::stringstream lines(mountInfo);
    std::string line;
    while (std::getline(lines, line)) {
        const size_t dash = line.find(" - ");
        if (dash == std::string::npos)
            continue;
        std::stringstream before(line.substr(0, dash));
        std::stringstream after(line.substr(dash + 3));
        std::string id, parent, device, root, point, type, source, superOptions;
        before >> id >> parent >> device >> root >> point;
        after >> type >> source >> superOptions;
        if (type == "cgroup" || type == "cgroup2")
            mounts.push_back(
                {unescapeMountField(root), unescapeMountField(point), type, splitSet(superOptions, ',')});
    }
    return mounts;
}

std::vector<OwnCgroup> ownCgroups(const std::string& text)
{
    std::vector<OwnCgroup> own;
    std::stringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        const size_t first = line.find(':');
        const size_t second = first == std::string::npos ? first : line.find(':', first + 1);
        if (second == std::string::npos)
            continue;
        const std::string controllers = line.substr(first + 1, second - first - 1);
        own.push_back({line.substr(0, second), splitSet(controllers, ','), line.substr(second + 1)});
    }
    return own;
}

// The host folder of `path` (a path in the hierarchy, as /proc/self/cgroup gives it) under
// a mount of the hierarchy's `root`; empty when that part of the hierarchy is not mounted.
std::string hostFolder(const MountEntry& mount, const std::string& path)
{
    if (mount.root == "/")
        return path == "/" ? mount.point : mount.point + path;
    if (path == mount.root)
        return mount.point;
    if (path.rfind(mount.root + "/", 0) == 0)
        return mount.point + path.substr(mount.root.size());
    return {};
}

// The reverse: how /proc/<pid>/cgroup names the host folder `dir` under `mount`.
std::string hierarchyPath(const MountEntry& mount, const std::string& dir)
{
    const std::string below = dir.substr(mount.point.size());
    if (mount.root == "/")
        return below.empty() ? "/" : below;
    return mount.root + below;
}

bool exists(const std::string& path)
{
    return ::access(path.c_str(), F_OK) == 0;
}

bool makeDir(const std::string& path)
{
    return ::mkdir(path.c_str(), 0755) == 0 || errno == EEXIST;
}

std::string errnoText()
{
    return std::generic_category().message(errno);
}

// Without swap there is nothing for a swap limit to hold back.
bool hostHasSwap()
{
    const std::string swaps = readText("/proc/swaps").value_or("");
    return swaps.find('\n') != std::string::npos && swaps.find('\n') + 1 < swaps.size();
}

bool isNumber(const std::string& name)
{
    return !name.empty() && name.find_first_not_of("0123456789") == std::string::npos;
}

std::vector<std::string> subfolders(const std::string& dir)
{
    std::vector<std::string> names;
    if (const UniqueDir listing{::opendir(dir.c_str())}) {
        while (const dirent* entry = ::readdir(listing.get())) {
            const std::string name = entry->d_name;
            if (entry->d_type == DT_DIR && name != "." && name != "..")
                names.push_back(name);
        }
    }
    return names;
}

// Kills what runs in the cgroup tree at `dir` (named `rel` in /proc/<pid>/cgroup), then
// removes it, deepest first.
bool purgeTree(const std::string& dir, const std::string& procKey, const std::string& rel)
{
    for (const auto& child : subfolders(dir))
        purgeTree(dir + "/" + child, procKey, rel + "/" + child);
    killMembers(dir, procKey + ":" + rel, kSweepKillMs);
    return removeCgroupTree(dir);
}

CgroupHost::Mode modeFromEnvironment()
{
    const char* value = std::getenv("CLADE_SANDBOX_CGROUPS");
    const std::string mode = value ? value : "";
    if (mode == "v1")
        return CgroupHost::Mode::V1Only;
    if (mode == "v2")
        return CgroupHost::Mode::V2Only;
    if (mode == "off")
        return CgroupHost::Mode::Off;
    return CgroupHost::Mode::Auto;
}

} // namespace

CgroupHost& CgroupHost::instance()
{
    static CgroupHost host(Options{modeFromEnvironment(), "clade"});
    return host;
}

CgroupHost::CgroupHost(Options options) : m_name(std::move(options.name))
{
    if (options.mode == Mode::Off) {
        m_notes.push_back("cgroups switched off");
        return;
    }
    const std::string mountInfo = readText("/proc/self/mountinfo").value_or("");
    const std::string own = readText("/proc/self/cgroup").value_or("");
    if (options.mode != Mode::V1Only)
        detectV2(mountInfo, own);
    if (options.mode != Mode::V2Only)
        detectV1(mountInfo, own);
    chooseRoles();
    noteSlowMoves(mountInfo);
    if (m_hierarchies.empty() && m_notes.empty())
        m_notes.push_back("no cgroup hierarchy is mounted");
}

CgroupHost::~CgroupHost()
{
    for (const auto& h : m_hierarchies) {
        ::rmdir(h.engineDir.c_str());
        ::rmdir((h.base + "/" + m_name).c_str()); // fails while another engine uses it
    }
}

bool CgroupHost::makeEngineDir(CgroupHierarchy& h, const std::string& label)
{
    const std::string top = h.base + "/" + m_name;
    if (!makeDir(top)) {
        m_notes.push_back(label + ": cannot create " + top + ": " + errnoText());
        return false;
    }
    // Our pid on a folder we did not make: a dead engine had the same pid (common for
    // pid 1 in containers). What is in it is stale.
    if (exists(h.engineDir))
        purgeTree(h.engineDir, h.procKey, h.engineRel);
    // A concurrent engine's destructor may remove `top` between the two mkdirs.
    if (::mkdir(h.engineDir.c_str(), 0755) != 0 &&
        !(errno == ENOENT && makeDir(top) && makeDir(h.engineDir))) {
        m_notes.push_back(label + ": cannot create " + h.engineDir + ": " + errnoText());
        return false;
    }
    return true;
}

void CgroupHost::detectV2(const std::string& mountInfo, const std::string& ownText)
{
    const auto mounts = cgroupMounts(mountInfo);
    const MountEntry* mount = nullptr;
    for (const auto& m : mounts)
        if (m.type == "cgroup2" && !mount)
            mount = &m;
    const OwnCgroup* own = nullptr;
    const auto owns = ownCgroups(ownText);
    for (const auto& o : owns)
        if (o.key == "0:")
            own = &o;
    if (!mount || !own)
        return;
    const std::string label = "cgroup v2 at " + mount->point;
    const std::string ownDir = hostFolder(*mount, own->path);
    if (ownDir.empty()) {
        m_notes.push_back(label + ": the engine's cgroup " + own->path + " is not mounted");
        return;
    }

    CgroupHierarchy h;
    h.version = 2;
    h.mount = mount->point;
    h.procKey = "0:";
    const std::string pid = std::to_string(::getpid());
    const std::vector<pid_t> members = readPids(ownDir + "/cgroup.procs");
    bool moveSelf = false;
    if (ownDir == mount->point) {
        h.base = ownDir; // the root of what we see: no rule against processes here
    } else if (members.size() == 1 && members[0] == ::getpid() &&
               ::access(ownDir.c_str(), W_OK) == 0 &&
               ::access((ownDir + "/cgroup.procs").c_str(), W_OK) == 0 &&
               ::access((ownDir + "/cgroup.subtree_control").c_str(), W_OK) == 0) {
        h.base = ownDir; // delegated to us and ours alone
        moveSelf = true;
    } else if (::geteuid() == 0 && ::access(mount->point.c_str(), W_OK) == 0) {
        h.base = mount->point;
    } else {
        m_notes.push_back(label + ": no delegated cgroup (the engine's cgroup " + own->path +
                          " is shared or not writable; run the engine with "
                          "`systemd-run --user -p Delegate=yes` to give it one)");
        return;
    }
    h.engineDir = h.base + "/" + m_name + "/" + pid;
    h.engineRel = hierarchyPath(*mount, h.engineDir);
    if (!makeEngineDir(h, label))
        return;
    if (moveSelf && !(makeDir(h.engineDir + "/engine") &&
                      writeText(h.engineDir + "/engine/cgroup.procs", "0"))) {
        m_notes.push_back(label + ": cannot move the engine into " + h.engineDir +
                          "/engine: " + errnoText());
        ::rmdir((h.engineDir + "/engine").c_str());
        ::rmdir(h.engineDir.c_str());
        return;
    }
    // Each level passes a controller down only if its parent passed it to it.
    for (const std::string& dir : {h.base, h.base + "/" + m_name, h.engineDir}) {
        const auto offered = splitSet(readText(dir + "/cgroup.controllers").value_or(""), ' ');
        for (const char* controller : {"memory", "pids"})
            if (offered.count(controller))
                writeText(dir + "/cgroup.subtree_control", std::string("+") + controller);
    }
    const auto enabled =
        splitSet(readText(h.engineDir + "/cgroup.subtree_control").value_or(""), ' ');
    h.memory = enabled.count("memory") > 0;
    h.pids = enabled.count("pids") > 0;
    h.swap = h.memory && exists(h.engineDir + "/memory.swap.max");
    h.cpuUsage = exists(h.engineDir + "/cpu.stat"); // every v2 cgroup counts its CPU time
    for (const char* controller : {"memory", "pids"})
        if (!enabled.count(controller))
            m_notes.push_back(label + ": " + controller + " controller not available to " +
                              h.engineDir);
    m_hierarchies.push_back(h);
}

void CgroupHost::detectV1(const std::string& mountInfo, const std::string& ownText)
{
    const bool haveV2 = !m_hierarchies.empty();
    const bool needMemory = !(haveV2 && m_hierarchies[0].memory);
    const bool needPids = !(haveV2 && m_hierarchies[0].pids);
    const bool needCpu = !(haveV2 && m_hierarchies[0].cpuUsage);
    const auto mounts = cgroupMounts(mountInfo);
    const auto owns = ownCgroups(ownText);
    std::set<std::string> done;
    for (const char* controller : {"memory", "pids", "cpuacct"}) {
        const std::string c = controller;
        if ((c == "memory" && !needMemory) || (c == "pids" && !needPids) ||
            (c == "cpuacct" && !needCpu))
            continue;
        const MountEntry* mount = nullptr;
        for (const auto& m : mounts)
            if (m.type == "cgroup" && m.options.count(c) && !mount)
                mount = &m;
        const OwnCgroup* own = nullptr;
        for (const auto& o : owns)
            if (o.controllers.count(c))
                own = &o;
        if (!mount || !own || done.count(mount->point))
            continue;
        done.insert(mount->point);
        const std::string label = "cgroup v1 " + c + " at " + mount->point;
        CgroupHierarchy h;
        h.version = 1;
        h.mount = mount->point;
        h.procKey = own->key;
        h.base = hostFolder(*mount, own->path);
        if (h.base.empty()) {
            m_notes.push_back(label + ": the engine's cgroup " + own->path + " is not mounted");
            continue;
        }
        h.engineDir = h.base + "/" + m_name + "/" + std::to_string(::getpid());
        h.engineRel = hierarchyPath(*mount, h.engineDir);
        if (!makeEngineDir(h, label))
            continue;
        h.memory = mount->options.count("memory") && exists(h.engineDir + "/memory.limit_in_bytes");
        h.swap = h.memory && exists(h.engineDir + "/memory.memsw.limit_in_bytes");
        h.pids = mount->options.count("pids") && exists(h.engineDir + "/pids.max");
        h.cpuUsage = mount->options.count("cpuacct") && exists(h.engineDir + "/cpuacct.usage");
        m_hierarchies.push_back(h);
    }
}

void CgroupHost::chooseRoles()
{
    const auto index = [](size_t i) { return static_cast<int>(i); };
    for (size_t i = 0; i < m_hierarchies.size(); ++i) {
        const auto& h = m_hierarchies[i];
        if (h.memory && m_roles.memory < 0)
            m_roles.memory = index(i);
        if (h.pids && m_roles.pids < 0)
            m_roles.pids = index(i);
        if (h.cpuUsage && m_roles.cpu < 0)
            m_roles.cpu = index(i);
    }
    // The tree is killed in v2 (cgroup.kill) if we have it; on v1 preferably in the pids
    // hierarchy, where a fork bomb cannot outgrow the kill loop.
    for (size_t i = 0; i < m_hierarchies.size() && m_roles.kill < 0; ++i)
        if (m_hierarchies[i].version == 2)
            m_roles.kill = index(i);
    if (m_roles.kill < 0)
        m_roles.kill = m_roles.pids >= 0 ? m_roles.pids : (m_hierarchies.empty() ? -1 : 0);
    if (!m_hierarchies.empty())
        m_notes.insert(m_notes.begin(), "sandbox cgroups: " + summary());
}

// v2 starts each command inside its cgroup (clone3 CLONE_INTO_CGROUP); v1 has no such call,
// so the command is moved, and a move takes cgroup_threadgroup_rwsem for writing, which
// waits for an RCU grace period unless the hierarchies favour dynamic changes (Linux 6.0+:
// cgroup2 mounted with favordynmods, which switches that lock for every hierarchy).
void CgroupHost::noteSlowMoves(const std::string& mountInfo)
{
    bool movesIntoV1 = false;
    for (const int role : {m_roles.memory, m_roles.pids, m_roles.cpu, m_roles.kill})
        if (role >= 0 && m_hierarchies[static_cast<size_t>(role)].version == 1)
            movesIntoV1 = true;
    if (!movesIntoV1)
        return;
    std::string v2Point;
    for (const auto& m : cgroupMounts(mountInfo)) {
        if (m.options.count("favordynmods"))
            return;
        if (m.type == "cgroup2" && v2Point.empty())
            v2Point = m.point;
    }
    m_slowMoveHint = "each sandboxed command waits one RCU grace period (~15 ms) to enter its "
                     "cgroup v1 folders";
    const bool kernelOffersIt = readText("/sys/kernel/cgroup/features")
                                    .value_or("")
                                    .find("favordynmods") != std::string::npos;
    if (kernelOffersIt && !v2Point.empty())
        m_slowMoveHint += "; `mount -o remount,favordynmods " + v2Point +
                          "` as root lifts the wait (scripts/install-deps.sh does it; forks and "
                          "exits get slightly dearer)";
}

std::string CgroupHost::summary() const
{
    std::string text;
    for (int i = 0; i < static_cast<int>(m_hierarchies.size()); ++i) {
        const auto& h = m_hierarchies[static_cast<size_t>(i)];
        std::string roles;
        for (const auto& [index, name] : {std::pair{m_roles.memory, "memory"},
                                          std::pair{m_roles.pids, "pids"},
                                          std::pair{m_roles.cpu, "cpu"},
                                          std::pair{m_roles.kill, "kill"}})
            if (index == i)
                roles += (roles.empty() ? "" : "+") + std::string(name);
        if (roles.empty())
            continue;
        text += (text.empty() ? "" : ", ") + std::string(h.version == 2 ? "v2 " : "v1 ") + roles +
                " (" + h.engineDir + ")";
    }
    return text.empty() ? "none" : text;
}

std::vector<std::string> CgroupHost::gaps() const
{
    std::string why;
    if (!available())
        for (const auto& note : m_notes)
            why += (why.empty() ? " (no usable cgroup: " : "; ") + note;
    if (!why.empty())
        why += ")";
    std::vector<std::string> missing;
    if (!limitsMemory())
        missing.push_back("memory: RLIMIT_AS caps each process's address space, not the process "
                          "tree's total; a program over it sees its own allocation fail (no "
                          "LimitHit::Memory)" + why);
    else if (!limitsSwap() && hostHasSwap())
        missing.push_back("swap: not limited (the kernel does not account swap per cgroup; boot "
                          "with swapaccount=1): swapped-out pages do not count toward the "
                          "memory limit");
    if (!limitsPids())
        missing.push_back("pids: not limited (RLIMIT_NPROC would count every process of the "
                          "sandbox user, across all sandboxes)" + why);
    if (!measuresCpu())
        missing.push_back("cpu: RLIMIT_CPU caps each process, not the CPU time of the tree as a "
                          "whole" + why);
    return missing;
}

std::vector<std::string> CgroupHost::liveSandboxCgroups() const
{
    std::vector<std::string> live;
    for (const auto& h : m_hierarchies)
        for (const auto& name : subfolders(h.engineDir))
            if (name != "engine")
                live.push_back(h.engineDir + "/" + name);
    return live;
}

bool CgroupHost::inSandboxCgroup(pid_t pid) const
{
    const auto text = readText("/proc/" + std::to_string(pid) + "/cgroup");
    if (!text)
        return false;
    for (const auto& line : ownCgroups(*text))
        for (const auto& h : m_hierarchies)
            if (line.key == h.procKey && line.path.rfind(h.engineRel + "/", 0) == 0 &&
                line.path.rfind(h.engineRel + "/engine", 0) != 0)
                return true;
    return false;
}

std::string CgroupHost::v2Mount()
{
    for (const auto& mount : cgroupMounts(readText("/proc/self/mountinfo").value_or("")))
        if (mount.type == "cgroup2")
            return mount.point;
    return {};
}

int CgroupHost::sweepStale() const
{
    std::set<std::string> removed;
    for (const auto& h : m_hierarchies) {
        const std::string top = h.base + "/" + m_name;
        const std::string topRel = h.engineRel.substr(0, h.engineRel.rfind('/'));
        for (const auto& name : subfolders(top)) {
            if (!isNumber(name) || processExists(std::atoi(name.c_str())))
                continue;
            if (purgeTree(top + "/" + name, h.procKey, topRel + "/" + name))
                removed.insert(name);
        }
    }
    return static_cast<int>(removed.size());
}

} // namespace clade::engine
