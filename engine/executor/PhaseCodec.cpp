#include "engine/executor/PhaseCodec.h"

#include "engine/executor/TreePack.h"

#include <filesystem>
#include <stdexcept>

namespace clade::engine {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr std::pair<LimitHit, const char*> kLimitNames[] = {
    {LimitHit::None, "none"},     {LimitHit::Wall, "wall"},     {LimitHit::Cpu, "cpu"},
    {LimitHit::Memory, "memory"}, {LimitHit::Pids, "pids"},     {LimitHit::Output, "output"},
    {LimitHit::Disk, "disk"},     {LimitHit::Cancelled, "cancelled"}};

} // namespace

std::string limitHitName(LimitHit limit)
{
    for (const auto& [value, name] : kLimitNames)
        if (value == limit)
            return name;
    return "none";
}

LimitHit limitHitFromName(const std::string& name)
{
    for (const auto& [value, text] : kLimitNames)
        if (name == text)
            return value;
    throw std::runtime_error("phase stream: unknown limit '" + name + "'");
}

json limitsToJson(const SandboxLimits& l)
{
    return {{"wall_seconds", l.wallSeconds}, {"cpu_seconds", l.cpuSeconds},
            {"memory_mb", l.memoryMb},       {"pids", l.pids},
            {"output_bytes", l.outputBytes}, {"tmp_mb", l.tmpMb},
            {"scratch_mb", l.scratchMb},     {"scratch_inodes", l.scratchInodes}};
}

SandboxLimits limitsFromJson(const json& j)
{
    SandboxLimits l;
    l.wallSeconds = j.value("wall_seconds", l.wallSeconds);
    l.cpuSeconds = j.value("cpu_seconds", l.cpuSeconds);
    l.memoryMb = j.value("memory_mb", l.memoryMb);
    l.pids = j.value("pids", l.pids);
    l.outputBytes = j.value("output_bytes", l.outputBytes);
    l.tmpMb = j.value("tmp_mb", l.tmpMb);
    l.scratchMb = j.value("scratch_mb", l.scratchMb);
    l.scratchInodes = j.value("scratch_inodes", l.scratchInodes);
    return l;
}

json specToJson(const SandboxSpec& spec, const std::string& sandboxBackend)
{
    json mounts = json::array();
    for (const Mount& m : spec.mounts)
        mounts.push_back({{"inside", m.inside}, {"writable", m.writable}});
    return {{"version", kPhaseStreamVersion},
            {"sandbox", sandboxBackend},
            {"argv", spec.argv},
            {"workdir", spec.workdir},
            {"env", spec.env},
            {"limits", limitsToJson(spec.limits)},
            {"mounts", mounts}};
}

SandboxSpec specFromJson(const json& j, std::string* sandboxBackend)
{
    const int version = j.value("version", 0);
    if (version != kPhaseStreamVersion)
        throw std::runtime_error("phase stream version " + std::to_string(version) +
                                 ", but this clade speaks version " +
                                 std::to_string(kPhaseStreamVersion) +
                                 " (install the same Clade on the compute nodes as on the "
                                 "machine that runs the engine)");
    try {
        SandboxSpec spec;
        spec.argv = j.at("argv").get<std::vector<std::string>>();
        spec.workdir = j.value("workdir", "");
        spec.env = j.value("env", std::map<std::string, std::string>{});
        spec.limits = limitsFromJson(j.value("limits", json::object()));
        for (const auto& m : j.at("mounts"))
            spec.mounts.push_back({{}, m.at("inside").get<std::string>(), m.value("writable", false)});
        if (sandboxBackend)
            *sandboxBackend = j.value("sandbox", "bwrap");
        return spec;
    } catch (const json::exception& e) {
        throw std::runtime_error(std::string("phase stream header: ") + e.what());
    }
}

json resultToJson(const SandboxResult& r)
{
    return {{"launched", r.launched},
            {"launch_error", r.launchError},
            {"exit_code", r.exitCode},
            {"signal", r.signal},
            {"limit", limitHitName(r.limit)},
            {"stdout_bytes", r.stdoutBytes},
            {"stderr_bytes", r.stderrBytes},
            {"wall_seconds", r.wallSeconds},
            {"cpu_seconds", r.cpuSeconds},
            {"peak_memory_kb", r.peakMemoryKb},
            {"limits", limitsToJson(r.limits)},
            {"disk_limit", r.diskLimit}};
}

SandboxResult resultFromJson(const json& j)
{
    try {
        SandboxResult r;
        r.launched = j.at("launched").get<bool>();
        r.launchError = j.value("launch_error", "");
        r.exitCode = j.value("exit_code", -1);
        r.signal = j.value("signal", 0);
        r.limit = limitHitFromName(j.value("limit", "none"));
        r.stdoutBytes = j.value("stdout_bytes", 0LL);
        r.stderrBytes = j.value("stderr_bytes", 0LL);
        r.wallSeconds = j.value("wall_seconds", 0.0);
        r.cpuSeconds = j.value("cpu_seconds", 0.0);
        r.peakMemoryKb = j.value("peak_memory_kb", 0LL);
        r.limits = limitsFromJson(j.value("limits", json::object()));
        r.diskLimit = j.value("disk_limit", "");
        return r;
    } catch (const json::exception& e) {
        throw std::runtime_error(std::string("phase stream result: ") + e.what());
    }
}

namespace {

std::string dumpJson(const json& j)
{
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}
} // namespace

std::string encodePhaseRequest(const SandboxSpec& spec, const std::string& backend)
{
    std::string request;
    appendFrame(request, PhaseFrame::Header, dumpJson(specToJson(spec, backend)));
    for (size_t i = 0; i < spec.mounts.size(); ++i) {
        std::error_code ec;
        const bool folder = fs::is_directory(fs::symlink_status(spec.mounts[i].host, ec));
        appendFrame(request, PhaseFrame::Mount,
                    dumpJson({{"index", i}, {"kind", folder ? "folder" : "file"}}));
        packTree(spec.mounts[i].host, request);
    }
    appendFrame(request, PhaseFrame::Go, {});
    return request;
}

} // namespace clade::engine
