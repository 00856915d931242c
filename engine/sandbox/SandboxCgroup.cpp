#include "engine/sandbox/SandboxCgroup.h"

#include "engine/sandbox/CgroupFiles.h"
#include "engine/sandbox/CgroupHost.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace clade::engine {
namespace {

using namespace cgroupfs;

// finish() waits this long for a killed tree to leave its cgroup. Every task is already
// SIGKILLed; only a task in uninterruptible sleep (a hung NFS read) takes longer.
constexpr int kFinishKillMs = 5000;

UniqueFd openRead(const std::string& path)
{
    return UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
}

std::string errnoText()
{
    return std::generic_category().message(errno);
}

} // namespace

SandboxCgroup::SandboxCgroup(CgroupHost& host, const SandboxLimits& limits, int extraPids)
    : m_limits(limits)
{
    const auto& hierarchies = host.hierarchies();
    const CgroupRoles& roles = host.roles();
    const std::string id = std::to_string(host.nextId());
    m_leaves.reserve(hierarchies.size());
    for (size_t i = 0; i < hierarchies.size(); ++i) {
        const CgroupHierarchy& h = hierarchies[i];
        const int index = static_cast<int>(i);
        const bool memory = roles.memory == index;
        const bool pids = roles.pids == index;
        const bool cpu = roles.cpu == index;
        if (!memory && !pids && !cpu && roles.kill != index)
            continue;
        const Leaf leaf{h.engineDir + "/" + id, h.procKey + ":" + h.engineRel + "/" + id,
                        h.version};
        if (::mkdir(leaf.dir.c_str(), 0755) != 0) {
            m_error = "cannot create " + leaf.dir + ": " + errnoText();
            return;
        }
        m_leaves.push_back(leaf);
        if (roles.kill == index)
            m_killLeaf = static_cast<int>(m_leaves.size()) - 1;
        if (memory && !setMemory(leaf, h))
            return;
        if (pids && limits.pids > 0 &&
            !writeText(leaf.dir + "/pids.max", std::to_string(limits.pids + extraPids))) {
            m_error = "cannot set " + leaf.dir + "/pids.max: " + errnoText();
            return;
        }
        watch(leaf, memory, pids, cpu);
        UniqueFd procs(
            ::open((leaf.dir + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
        if (!procs) {
            m_error = "cannot open " + leaf.dir + "/cgroup.procs: " + errnoText();
            return;
        }
        m_procsFds.push_back(std::move(procs));
        if (h.version == 2) {
            m_v2DirFd.reset(::open(leaf.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
            m_v2Index = m_v2DirFd ? static_cast<int>(m_procsFds.size()) - 1 : -1;
        }
    }
}

SandboxCgroup::SandboxCgroup(const std::string& dir, const std::string& path,
                             const SandboxLimits& limits)
    : m_limits(limits), m_owned(false)
{
    m_leaves.push_back({dir, "0::" + path, 2});
    m_killLeaf = 0;
    watch(m_leaves.front(), true, true, true);
}

SandboxCgroup::~SandboxCgroup()
{
    finish();
}

bool SandboxCgroup::setMemory(const Leaf& leaf, const CgroupHierarchy& h)
{
    if (m_limits.memoryMb <= 0)
        return true;
    const std::string bytes = std::to_string(static_cast<long long>(m_limits.memoryMb) << 20);
    // v1 wants memsw >= limit at every step, so the plain limit goes first.
    const std::vector<std::pair<std::string, std::string>> writes =
        h.version == 2 ? std::vector<std::pair<std::string, std::string>>{
                             {"memory.max", bytes},
                             {"memory.swap.max", h.swap ? "0" : ""}}
                       : std::vector<std::pair<std::string, std::string>>{
                             {"memory.limit_in_bytes", bytes},
                             {"memory.memsw.limit_in_bytes", h.swap ? bytes : ""}};
    for (const auto& [file, value] : writes) {
        if (value.empty())
            continue;
        if (!writeText(leaf.dir + "/" + file, value)) {
            m_error = "cannot set " + leaf.dir + "/" + file + ": " + errnoText();
            return false;
        }
    }
    // Kill the whole tree on OOM, not one process of it: a half-killed harness only
    // produces confusing results. (Linux 4.19+; before it, check() still sees the OOM
    // kill and the runner kills the rest.)
    if (h.version == 2)
        writeText(leaf.dir + "/memory.oom.group", "1");
    return true;
}

void SandboxCgroup::watch(const Leaf& leaf, bool memory, bool pids, bool cpu)
{
    const bool v2 = leaf.version == 2;
    if (cpu && !m_cpuFd) {
        m_cpuFd = openRead(leaf.dir + (v2 ? "/cpu.stat" : "/cpuacct.usage"));
        m_cpuIsV2 = v2;
    }
    if (memory && !m_oomFd) {
        m_oomFd = openRead(leaf.dir + (v2 ? "/memory.events" : "/memory.oom_control"));
        m_peakFd = openRead(leaf.dir + (v2 ? "/memory.peak" : "/memory.max_usage_in_bytes"));
        if (!m_peakFd && v2) { // memory.peak is new in Linux 5.19: sample memory.current
            m_peakFd = openRead(leaf.dir + "/memory.current");
            m_peakIsCurrent = static_cast<bool>(m_peakFd);
        }
    }
    if (pids && !m_pidsEventsFd)
        m_pidsEventsFd = openRead(leaf.dir + "/pids.events");
}

std::vector<int> SandboxCgroup::procsFds() const
{
    std::vector<int> fds;
    for (const UniqueFd& fd : m_procsFds)
        fds.push_back(fd.get());
    return fds;
}

void SandboxCgroup::closeProcsFds()
{
    m_procsFds.clear();
    m_v2DirFd.reset();
    m_v2Index = -1;
}

void SandboxCgroup::readFigures()
{
    if (m_cpuFd) {
        if (const auto text = readFd(m_cpuFd.get())) {
            const auto usage = m_cpuIsV2 ? keyedValue(*text, "usage_usec") : leadingNumber(*text);
            if (usage)
                m_cpuSeconds = static_cast<double>(*usage) / (m_cpuIsV2 ? 1e6 : 1e9);
        }
    }
    if (m_peakFd) {
        if (const auto text = readFd(m_peakFd.get()))
            if (const auto bytes = leadingNumber(*text))
                m_peakKb = std::max(m_peakKb, *bytes / 1024);
    }
    if (m_fired == LimitHit::None && m_oomFd) {
        const auto text = readFd(m_oomFd.get());
        if (text && keyedValue(*text, "oom_kill").value_or(0) > 0)
            m_fired = LimitHit::Memory;
    }
    if (m_fired == LimitHit::None && m_pidsEventsFd) {
        const auto text = readFd(m_pidsEventsFd.get());
        if (text && keyedValue(*text, "max").value_or(0) > 0)
            m_fired = LimitHit::Pids;
    }
}

LimitHit SandboxCgroup::check()
{
    if (m_finished)
        return LimitHit::None;
    readFigures();
    if (m_fired != LimitHit::None)
        return m_fired;
    if (m_limits.cpuSeconds > 0 && m_cpuSeconds >= m_limits.cpuSeconds)
        return LimitHit::Cpu;
    return LimitHit::None;
}

void SandboxCgroup::kill()
{
    if (m_killLeaf >= 0 && !m_finished) {
        const Leaf& leaf = m_leaves[static_cast<size_t>(m_killLeaf)];
        killMembers(leaf.dir, leaf.procLine, 0, &m_seen);
    }
}

void SandboxCgroup::finish()
{
    if (m_finished)
        return;
    closeProcsFds();
    if (m_killLeaf >= 0) {
        const Leaf& leaf = m_leaves[static_cast<size_t>(m_killLeaf)];
        if (!killMembers(leaf.dir, leaf.procLine, kFinishKillMs, &m_seen))
            spdlog::warn("sandbox cgroup {}: processes still there after SIGKILL", leaf.dir);
    }
    readFigures();
    for (UniqueFd* fd : {&m_cpuFd, &m_oomFd, &m_peakFd, &m_pidsEventsFd})
        fd->reset();
    if (m_owned)
        for (const Leaf& leaf : m_leaves)
            if (!removeCgroupTree(leaf.dir))
                spdlog::warn("sandbox cgroup {}: cannot remove: {}", leaf.dir, errnoText());
    m_finished = true;
}

} // namespace clade::engine
