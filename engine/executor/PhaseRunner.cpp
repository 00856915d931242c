#include "engine/executor/PhaseRunner.h"

#include "engine/executor/FdIo.h"
#include "engine/executor/PhaseCodec.h"
#include "engine/executor/TreePack.h"
#include "engine/sandbox/Sandbox.h"
#include "engine/sandbox/SandboxUser.h"
#include "engine/util/ScratchSpace.h"

#include <QString>
#include <QSysInfo>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unistd.h>

namespace clade::engine {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// Frames to the engine, from the main thread and the live-output thread.
class FrameWriter {
public:
    explicit FrameWriter(int fd) : m_fd(fd) {}
    void send(char type, std::string_view payload)
    {
        std::string frame;
        appendFrame(frame, type, payload);
        sendFrames(frame);
    }
    /// Bytes that are whole frames already (packTree()'s entries).
    void sendFrames(std::string_view frames)
    {
        std::lock_guard lock(m_mutex);
        if (m_open)
            m_open = writeAllToFd(m_fd, frames);
    }

private:
    int m_fd;
    std::mutex m_mutex;
    bool m_open = true; ///< false once the engine stopped reading
};

std::string environmentValue(const char* name)
{
    const char* value = std::getenv(name);
    return value ? value : "";
}

/// Sends what the command appends to `file` as Output frames until stopped, then the rest.
class LiveOutputFollower {
public:
    LiveOutputFollower(fs::path file, FrameWriter& writer)
        : m_file(std::move(file)), m_writer(writer), m_thread([this] { follow(); })
    {
    }
    ~LiveOutputFollower() { finish(); }

    void finish()
    {
        {
            std::lock_guard lock(m_mutex);
            m_done = true;
        }
        m_wake.notify_all();
        if (m_thread.joinable())
            m_thread.join();
    }

private:
    void follow()
    {
        std::unique_lock lock(m_mutex);
        for (;;) {
            // A short poll: the sandbox appends to a plain file; a viewer a few hundred
            // milliseconds behind is live enough, and the phase's result does not depend on it.
            const bool done = m_wake.wait_for(lock, std::chrono::milliseconds(200), [this] { return m_done; });
            sendNew();
            if (done)
                return;
        }
    }

    void sendNew()
    {
        std::ifstream in(m_file, std::ios::binary);
        if (!in)
            return;
        in.seekg(m_sent);
        std::string chunk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (chunk.empty())
            return;
        m_sent += static_cast<std::streamoff>(chunk.size());
        m_writer.send(PhaseFrame::Output, chunk);
    }

    fs::path m_file;
    FrameWriter& m_writer;
    std::streamoff m_sent = 0;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_done = false;
    std::thread m_thread;
};

struct ReceivedPhase {
    SandboxSpec spec;
    std::string backend;
};

/// Unpacks the request into `scratch`, filling in each mount's host path.
ReceivedPhase receive(const std::string& stream, ScratchSpace& scratch)
{
    FrameDecoder decoder;
    decoder.feed(stream);
    auto frame = decoder.next();
    if (!frame || frame->type != PhaseFrame::Header)
        throw std::runtime_error("the phase stream does not start with a header (is the engine "
                                 "a Clade of the same version?)");
    const auto header = json::parse(frame->payload, nullptr, false);
    if (header.is_discarded())
        throw std::runtime_error("the phase stream's header is not JSON");
    ReceivedPhase phase;
    phase.spec = specFromJson(header, &phase.backend);
    const SandboxLimits& limits = phase.spec.limits;
    std::optional<TreeUnpacker> unpacker;
    size_t mount = phase.spec.mounts.size();
    for (;;) {
        frame = decoder.next();
        if (!frame)
            throw std::runtime_error("the phase stream ends before its Go mark (cut in transit)");
        if (frame->type == PhaseFrame::Go)
            break;
        if (frame->type == PhaseFrame::Mount) {
            const auto m = json::parse(frame->payload, nullptr, false);
            mount = m.is_object() ? m.value("index", phase.spec.mounts.size()) : phase.spec.mounts.size();
            if (mount >= phase.spec.mounts.size())
                throw std::runtime_error("the phase stream names a mount it did not declare");
            Mount& target = phase.spec.mounts[mount];
            const bool folder = m.value("kind", "folder") == "folder";
            const fs::path place = scratch.makeFolder(
                "mount", target.writable && folder, {limits.scratchMb, limits.scratchInodes});
            target.host = folder ? place : place / "file";
            unpacker.emplace(target.host);
            continue;
        }
        if (!unpacker)
            throw std::runtime_error("the phase stream sends files before naming their mount");
        unpacker->add(*frame);
    }
    for (const Mount& m : phase.spec.mounts) {
        if (m.host.empty())
            throw std::runtime_error("the phase stream left mount " + m.inside + " without files");
        if (m.writable)
            scratch.handOver(m.host);
    }
    return phase;
}

json placement()
{
    return {{"host", QSysInfo::machineHostName().toStdString()},
            {"job_id", environmentValue("SLURM_JOB_ID")},
            {"step_id", environmentValue("SLURM_STEP_ID")},
            {"started_at", static_cast<double>(std::time(nullptr))}};
}

} // namespace

int runPhaseStream(int inFd, int outFd, const std::atomic<bool>& stop)
{
    FrameWriter writer(outFd);
    try {
        writer.send(PhaseFrame::Placement, placement().dump());
        const std::string stream = readAllFromFd(inFd);
        ScratchSpace scratch(sandboxUid(), sandboxGid());
        ReceivedPhase phase = receive(stream, scratch);
        const std::unique_ptr<Sandbox> sandbox = makeSandbox(phase.backend);
        writer.send(PhaseFrame::SandboxGaps,
                    json{{"sandbox", sandbox->name()}, {"unenforced", sandbox->unenforcedLimits()}}.dump());

        const fs::path live = scratch.makeFolder("live", false) / "output.log";
        phase.spec.liveOutput = live;
        SandboxResult result;
        {
            LiveOutputFollower follower(live, writer);
            result = sandbox->run(phase.spec, &stop);
            follower.finish();
        }
        writer.send(PhaseFrame::Result, resultToJson(result).dump());
        writer.send(PhaseFrame::Stdout, result.stdoutText);
        writer.send(PhaseFrame::Stderr, result.stderrText);
        for (size_t i = 0; i < phase.spec.mounts.size(); ++i) {
            const Mount& m = phase.spec.mounts[i];
            if (!m.writable)
                continue;
            writer.send(PhaseFrame::Mount, json{{"index", i}}.dump());
            std::string entries;
            packTree(m.host, entries);
            writer.sendFrames(entries);
        }
        writer.send(PhaseFrame::End, {});
        return 0;
    } catch (const std::exception& e) {
        writer.send(PhaseFrame::Failure, e.what());
        return 1;
    }
}

} // namespace clade::engine
