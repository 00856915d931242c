// The phase stream of the Slurm executor without a cluster (issue 19): frames, a folder
// packed and re-created (links kept as links, sparse files kept sparse, odd names), what the
// unpacker refuses whatever the stream says, the spec and result codec, and the compute
// node's half (runPhaseStream) run in this process on a request the engine's encoder made.
#include "engine/executor/PhaseCodec.h"
#include "engine/executor/PhaseRunner.h"
#include "engine/executor/TreePack.h"
#include "engine/executor/WireFrame.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace clade::engine;
namespace fs = std::filesystem;
using nlohmann::json;

Q_DECLARE_METATYPE(std::vector<WireFrame>)

namespace {

bool haveBwrap()
{
    return ::access("/usr/bin/bwrap", X_OK) == 0;
}

fs::path tempPath(const QTemporaryDir& dir)
{
    return fs::path(dir.path().toStdString());
}

void writeFile(const fs::path& file, const std::string& content, mode_t mode = 0644)
{
    std::ofstream(file, std::ios::binary) << content;
    fs::permissions(file, static_cast<fs::perms>(mode));
}

std::string readFile(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

mode_t modeOf(const fs::path& path)
{
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0)
        return 0;
    return info.st_mode & 07777;
}

std::vector<WireFrame> decodeAll(const std::string& bytes)
{
    FrameDecoder decoder;
    decoder.feed(bytes);
    std::vector<WireFrame> frames;
    while (auto frame = decoder.next())
        frames.push_back(*frame);
    return frames;
}

/// An entry frame's payload as TreePack.h describes it.
std::string entry(const std::string& path, std::uint32_t mode, const std::string& rest = {})
{
    std::string payload;
    appendU32(payload, static_cast<std::uint32_t>(path.size()));
    payload += path;
    appendU32(payload, mode);
    payload += rest;
    return payload;
}

WireFrame frame(char type, const std::string& payload)
{
    return WireFrame{type, payload};
}

/// Unpacks `frames` into a fresh folder `target`: the message of the refusal of the last
/// frame, empty when every frame was accepted.
std::string refusal(const fs::path& target, const std::vector<WireFrame>& frames)
{
    fs::create_directory(target);
    TreeUnpacker unpacker(target);
    for (size_t i = 0; i < frames.size(); ++i) {
        try {
            unpacker.add(frames[i]);
        } catch (const std::runtime_error& e) {
            if (i + 1 != frames.size())
                return std::string("refused too early: ") + e.what();
            return e.what();
        }
    }
    return {};
}

/// Every entry below `folder`, relative, never following links.
std::set<std::string> listing(const fs::path& folder)
{
    std::set<std::string> names;
    for (auto it = fs::recursive_directory_iterator(folder); it != fs::recursive_directory_iterator(); ++it)
        names.insert(it->path().lexically_relative(folder).string());
    return names;
}

/// Removes a folder at the end of a test by its bytes: QTemporaryDir decodes names, so a
/// name that is not UTF-8 would outlive it.
struct RemovedAtEnd {
    fs::path folder;
    ~RemovedAtEnd()
    {
        std::error_code ec;
        fs::remove_all(folder, ec);
    }
};

struct Output {
    int status = -1;
    std::vector<WireFrame> frames;
};

/// runPhaseStream() on `request` (through a file, as srun's standard input), its answer
/// read back from another file.
Output runNode(const std::string& request, const std::atomic<bool>& stop)
{
    Output out;
    FILE* in = std::tmpfile();
    FILE* answer = std::tmpfile();
    if (!in || !answer)
        return out;
    std::fwrite(request.data(), 1, request.size(), in);
    std::fflush(in);
    std::rewind(in);
    out.status = runPhaseStream(::fileno(in), ::fileno(answer), stop);
    std::string bytes;
    ::lseek(::fileno(answer), 0, SEEK_SET);
    char buffer[65536];
    for (ssize_t n; (n = ::read(::fileno(answer), buffer, sizeof buffer)) > 0;)
        bytes.append(buffer, static_cast<size_t>(n));
    std::fclose(in);
    std::fclose(answer);
    out.frames = decodeAll(bytes);
    return out;
}

} // namespace

class TestPhaseStream : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void framesAreTheSameWhateverTheChunks()
    {
        std::string stream;
        appendFrame(stream, 'H', "{\"a\":1}");
        appendFrame(stream, 'G', {});
        appendFrame(stream, 'f', std::string("\0\xff\x01 binary", 10));
        appendFrame(stream, 'O', std::string(70000, 'x'));

        const auto whole = decodeAll(stream);
        QCOMPARE(whole.size(), size_t(4));
        QCOMPARE(whole[0].type, 'H');
        QCOMPARE(whole[0].payload, std::string("{\"a\":1}"));
        QVERIFY(whole[1].payload.empty());
        QCOMPARE(whole[2].payload, std::string("\0\xff\x01 binary", 10));
        QCOMPARE(whole[3].payload.size(), size_t(70000));

        FrameDecoder decoder;
        std::vector<WireFrame> byByte;
        for (char c : stream) {
            decoder.feed(std::string_view(&c, 1));
            while (auto f = decoder.next())
                byByte.push_back(*f);
        }
        QCOMPARE(decoder.pendingBytes(), size_t(0));
        QCOMPARE(byByte.size(), whole.size());
        for (size_t i = 0; i < whole.size(); ++i) {
            QCOMPARE(byByte[i].type, whole[i].type);
            QCOMPARE(byByte[i].payload, whole[i].payload);
        }
    }

    void aFrameOverTheLimitIsCorrupt()
    {
        std::string header(1, 'f');
        appendU32(header, kMaxFramePayload + 1);
        FrameDecoder decoder;
        decoder.feed(header);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, decoder.next());

        // At the limit it is only incomplete, not corrupt.
        std::string atLimit(1, 'f');
        appendU32(atLimit, kMaxFramePayload);
        FrameDecoder patient;
        patient.feed(atLimit);
        QVERIFY(!patient.next().has_value());
    }

    void folderRoundTrip()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path source = tempPath(dir) / "source";
        const fs::path target = tempPath(dir) / "target";
        const RemovedAtEnd removeSource{source}, removeTarget{target};
        fs::create_directories(source / "a" / "b" / "c");
        fs::create_directory(target);
        writeFile(source / "empty", "");
        writeFile(source / "a" / "script.sh", "#!/bin/sh\necho hi\n", 0750);
        writeFile(source / "a" / "b" / "data.txt", "some data\n", 0644);
        writeFile(source / "a" / "b" / "c" / "deep", std::string("\0\1\2\3", 4));
        fs::create_symlink("../empty", source / "a" / "relative-link");
        fs::create_symlink("/etc/passwd", source / "a" / "absolute-link");
        const std::string latin1 = std::string("caf\xe9-\xff\xfe.bin"); // not UTF-8
        writeFile(source / latin1, "latin1");
        const std::string cjk = "数据-🚀.txt";
        writeFile(source / "a" / cjk, "utf8 name");
        // A sparse file: 1 GiB apparent, a few bytes in the middle.
        const fs::path sparse = source / "sparse.img";
        {
            const int fd = ::open(sparse.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            QVERIFY(fd >= 0);
            QCOMPARE(::ftruncate(fd, off_t(1) << 30), 0);
            QCOMPARE(::pwrite(fd, "middle", 6, off_t(1) << 29), ssize_t(6));
            ::close(fd);
        }

        std::string stream;
        const PackCounts counts = packTree(source, stream);
        QCOMPARE(counts.skipped, 0);
        QCOMPARE(counts.entries, 12LL);
        QVERIFY2(stream.size() < (1u << 20), "the sparse file travelled as its apparent size");

        TreeUnpacker unpacker(target);
        for (const WireFrame& f : decodeAll(stream))
            unpacker.add(f);

        QCOMPARE(listing(target), listing(source));
        QCOMPARE(readFile(target / "empty"), std::string());
        QCOMPARE(readFile(target / "a" / "script.sh"), std::string("#!/bin/sh\necho hi\n"));
        QCOMPARE(modeOf(target / "a" / "script.sh"), mode_t(0750));
        QCOMPARE(modeOf(target / "a" / "b" / "data.txt"), mode_t(0644));
        QCOMPARE(readFile(target / "a" / "b" / "c" / "deep"), std::string("\0\1\2\3", 4));
        QVERIFY(fs::is_symlink(fs::symlink_status(target / "a" / "relative-link")));
        QCOMPARE(fs::read_symlink(target / "a" / "relative-link").string(), std::string("../empty"));
        QVERIFY(fs::is_symlink(fs::symlink_status(target / "a" / "absolute-link")));
        QCOMPARE(fs::read_symlink(target / "a" / "absolute-link").string(), std::string("/etc/passwd"));
        QCOMPARE(readFile(target / latin1), std::string("latin1"));
        QCOMPARE(readFile(target / "a" / cjk), std::string("utf8 name"));

        struct stat info {};
        QCOMPARE(::stat((target / "sparse.img").c_str(), &info), 0);
        QCOMPARE(static_cast<long long>(info.st_size), 1LL << 30);
        QVERIFY2(info.st_blocks * 512 < (1 << 20),
                 qPrintable(QStringLiteral("the sparse file arrived with %1 blocks").arg(info.st_blocks)));
        QCOMPARE(modeOf(target / "sparse.img"), mode_t(0600));
        const int fd = ::open((target / "sparse.img").c_str(), O_RDONLY);
        QVERIFY(fd >= 0);
        char middle[8] = {};
        QCOMPARE(::pread(fd, middle, 8, (off_t(1) << 29) - 1), ssize_t(8));
        ::close(fd);
        QCOMPARE(std::string(middle, 8), std::string("\0middle\0", 8));
    }

    void singleFileMount()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path source = tempPath(dir) / "config.json";
        writeFile(source, "{\"x\": 1}\n", 0640);
        std::string stream;
        QCOMPARE(packTree(source, stream).entries, 1LL);
        const fs::path target = tempPath(dir) / "mount" ;
        TreeUnpacker unpacker(target);
        for (const WireFrame& f : decodeAll(stream))
            unpacker.add(f);
        QCOMPARE(readFile(target), std::string("{\"x\": 1}\n"));
        QCOMPARE(modeOf(target), mode_t(0640));
    }

    void unpackerRefuses_data()
    {
        QTest::addColumn<std::vector<WireFrame>>("frames");
        QTest::addColumn<QString>("named");
        using F = std::vector<WireFrame>;
        QTest::newRow("..") << F{frame('f', entry("../x", 0644, "escaped"))} << "../x";
        QTest::newRow("absolute") << F{frame('f', entry("/abs", 0644, "escaped"))} << "/abs";
        QTest::newRow("a/../b") << F{frame('d', entry("a", 0755)), frame('f', entry("a/../b", 0644, "x"))}
                                << "a/../b";
        QTest::newRow("./a") << F{frame('f', entry("./a", 0644, "x"))} << "./a";
        QTest::newRow("a//b") << F{frame('d', entry("a", 0755)), frame('f', entry("a//b", 0644, "x"))}
                              << "a//b";
        QTest::newRow("folder not sent") << F{frame('f', entry("nofolder/x", 0644, "x"))} << "nofolder/x";
        QTest::newRow("under a link the stream made")
            << F{frame('l', entry("l", 0777, "OUTSIDE")), frame('f', entry("l/x", 0644, "through"))} << "l/x";
        QTest::newRow("folder under a link")
            << F{frame('l', entry("l", 0777, "OUTSIDE")), frame('d', entry("l/d", 0755))} << "l/d";
        QTest::newRow("duplicate file")
            << F{frame('f', entry("a", 0644, "one")), frame('f', entry("a", 0644, "two"))} << "a";
        QTest::newRow("file over a link")
            << F{frame('l', entry("a", 0777, "OUTSIDE/file")), frame('f', entry("a", 0644, "two"))} << "a";
        QTest::newRow("duplicate folder") << F{frame('d', entry("d", 0755)), frame('d', entry("d", 0755))}
                                          << "d";
        std::string pastEnd;
        appendU64(pastEnd, 10);          // the file's size
        appendU64(pastEnd, 8);           // an extent at 8
        appendU32(pastEnd, 4);           // of 4 bytes: past the end
        pastEnd += "abcd";
        QTest::newRow("extent past the size") << F{frame('s', entry("sparse", 0644, pastEnd))} << "sparse";
        std::string wrapping;
        appendU64(wrapping, 10);
        appendU64(wrapping, ~std::uint64_t(0)); // offset + length wraps around to 3
        appendU32(wrapping, 4);
        wrapping += "abcd";
        QTest::newRow("extent wrapping around") << F{frame('s', entry("wrap", 0644, wrapping))} << "wrap";
        std::string cut;
        appendU64(cut, 10);
        appendU64(cut, 0);
        appendU32(cut, 8);
        cut += "abc";
        QTest::newRow("extent cut short") << F{frame('s', entry("cut", 0644, cut))} << "cut";
    }

    void unpackerRefuses()
    {
        QFETCH(std::vector<WireFrame>, frames);
        QFETCH(QString, named);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path parent = tempPath(dir);
        const fs::path outside = parent / "outside";
        fs::create_directory(outside);
        // Links in the rows point at `outside`, a folder the stream must never write to.
        for (WireFrame& f : frames)
            if (f.type == 'l') {
                const auto at = f.payload.find("OUTSIDE");
                f.payload.replace(at, 7, outside.string());
            }

        const std::string message = refusal(parent / "target", frames);
        QVERIFY2(!message.empty(), "the entry was accepted");
        QVERIFY2(message.find(named.toStdString()) != std::string::npos, message.c_str());
        QVERIFY2(message.find("too early") == std::string::npos, message.c_str());
        QCOMPARE(listing(outside), std::set<std::string>());
        std::set<std::string> besides;
        for (const auto& e : fs::directory_iterator(parent))
            besides.insert(e.path().filename().string());
        QCOMPARE(besides, (std::set<std::string>{"outside", "target"}));
    }

    void specialBitsAreDropped()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path target = tempPath(dir) / "target";
        fs::create_directory(target);
        TreeUnpacker unpacker(target);
        unpacker.add(frame('f', entry("setuid", 04755, "x")));
        unpacker.add(frame('f', entry("setgid", 02750, "x")));
        unpacker.add(frame('d', entry("sticky", 01777)));
        std::string sparse;
        appendU64(sparse, 4);
        unpacker.add(frame('s', entry("sparse-setuid", 06755, sparse)));
        QCOMPARE(modeOf(target / "setuid"), mode_t(0755));
        QCOMPARE(modeOf(target / "setgid"), mode_t(0750));
        QCOMPARE(modeOf(target / "sticky"), mode_t(0777));
        QCOMPARE(modeOf(target / "sparse-setuid"), mode_t(0755));

        // And a set-uid file on the sending side travels without the bit.
        const fs::path source = tempPath(dir) / "source";
        fs::create_directory(source);
        writeFile(source / "tool", "x", 04755);
        QCOMPARE(modeOf(source / "tool"), mode_t(04755));
        std::string stream;
        packTree(source, stream);
        const auto frames = decodeAll(stream);
        QCOMPARE(frames.size(), size_t(1));
        size_t at = 0;
        const auto pathLength = readU32(frames[0].payload, &at);
        at += pathLength;
        QCOMPARE(readU32(frames[0].payload, &at), std::uint32_t(0755));
    }

    void specRoundTrip()
    {
        SandboxSpec spec;
        spec.argv = {"/usr/bin/python3", "-c", "print('é 数据')", ""};
        spec.workdir = "/agent";
        spec.env = {{"SEED", "7"}, {"NAME", "ünï"}, {"EMPTY", ""}};
        spec.limits.wallSeconds = 12.5;
        spec.limits.cpuSeconds = 7.25;
        spec.limits.memoryMb = 333;
        spec.limits.pids = 44;
        spec.limits.outputBytes = 5555555555LL;
        spec.limits.tmpMb = 66;
        spec.limits.scratchMb = 77;
        spec.limits.scratchInodes = 88;
        spec.mounts = {{"/host/agent", "/agent", true}, {"/host/harness", "/harness", false},
                       {"/host/cfg.json", "/cfg.json", false}};
        spec.liveOutput = "/host/live.log";

        const json header = json::parse(specToJson(spec, "unsafe-rlimits").dump());
        std::string backend;
        const SandboxSpec back = specFromJson(header, &backend);
        QCOMPARE(backend, std::string("unsafe-rlimits"));
        QCOMPARE(back.argv, spec.argv);
        QCOMPARE(back.workdir, spec.workdir);
        QCOMPARE(back.env, spec.env);
        QVERIFY(back.limits == spec.limits);
        QCOMPARE(back.mounts.size(), spec.mounts.size());
        for (size_t i = 0; i < spec.mounts.size(); ++i) {
            QCOMPARE(back.mounts[i].inside, spec.mounts[i].inside);
            QCOMPARE(back.mounts[i].writable, spec.mounts[i].writable);
            QVERIFY2(back.mounts[i].host.empty(), "a host path of the engine reached the node");
        }
        QVERIFY(back.liveOutput.empty());
        QVERIFY(header.dump().find("/host/") == std::string::npos);
    }

    void otherVersionIsRefused()
    {
        SandboxSpec spec;
        spec.argv = {"/bin/true"};
        json header = specToJson(spec, "bwrap");
        header["version"] = kPhaseStreamVersion + 1;
        try {
            specFromJson(header, nullptr);
            QFAIL("a header of another version was accepted");
        } catch (const std::runtime_error& e) {
            const std::string message = e.what();
            QVERIFY2(message.find("install the same Clade") != std::string::npos, e.what());
            QVERIFY2(message.find(std::to_string(kPhaseStreamVersion + 1)) != std::string::npos, e.what());
        }
        header.erase("version");
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, specFromJson(header, nullptr));
        header["version"] = kPhaseStreamVersion;
        header.erase("argv");
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, specFromJson(header, nullptr));
    }

    void resultRoundTrip_data()
    {
        QTest::addColumn<int>("limit");
        for (LimitHit l : {LimitHit::None, LimitHit::Wall, LimitHit::Cpu, LimitHit::Memory, LimitHit::Pids,
                           LimitHit::Output, LimitHit::Disk, LimitHit::Cancelled})
            QTest::newRow(limitHitName(l).c_str()) << static_cast<int>(l);
    }

    void resultRoundTrip()
    {
        QFETCH(int, limit);
        SandboxResult r;
        r.launched = true;
        r.launchError = "not really";
        r.exitCode = 3;
        r.signal = 9;
        r.limit = static_cast<LimitHit>(limit);
        r.stdoutText = "not carried";
        r.stdoutBytes = 123456789012LL;
        r.stderrBytes = 42;
        r.wallSeconds = 1.5;
        r.cpuSeconds = 0.75;
        r.peakMemoryKb = 98765;
        r.limits.memoryMb = 512;
        r.limits.wallSeconds = 3;
        r.diskLimit = "disk limit 16 MB in /output";
        const SandboxResult back = resultFromJson(json::parse(resultToJson(r).dump()));
        QCOMPARE(back.launched, r.launched);
        QCOMPARE(back.launchError, r.launchError);
        QCOMPARE(back.exitCode, r.exitCode);
        QCOMPARE(back.signal, r.signal);
        QCOMPARE(static_cast<int>(back.limit), limit);
        QCOMPARE(back.stdoutBytes, r.stdoutBytes);
        QCOMPARE(back.stderrBytes, r.stderrBytes);
        QCOMPARE(back.wallSeconds, r.wallSeconds);
        QCOMPARE(back.cpuSeconds, r.cpuSeconds);
        QCOMPARE(back.peakMemoryKb, r.peakMemoryKb);
        QVERIFY(back.limits == r.limits);
        QCOMPARE(back.diskLimit, r.diskLimit);
        QVERIFY2(back.stdoutText.empty(), "output travels in frames of its own");
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, limitHitFromName("exploded"));
    }

    void nodeRunsThePhase()
    {
        if (!haveBwrap())
            QSKIP("/usr/bin/bwrap is missing: the node's sandbox cannot run here");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path harness = tempPath(dir) / "harness";
        const fs::path output = tempPath(dir) / "output";
        fs::create_directories(harness);
        fs::create_directories(output);
        writeFile(harness / "score.py", "print(1)\n");
        writeFile(output / "stale", "from before\n");

        SandboxSpec spec;
        spec.argv = {"/bin/sh", "-c",
                     "cat /harness/score.py; echo out; echo err >&2; echo hi > /output/x; "
                     "mkdir /output/d; ln -s /etc/passwd /output/link"};
        spec.mounts = {{harness, "/harness", false}, {output, "/output", true}};
        spec.limits.wallSeconds = 60;
        const std::atomic<bool> stop{false};
        const Output out = runNode(encodePhaseRequest(spec, "bwrap"), stop);

        QCOMPARE(out.status, 0);
        QVERIFY(!out.frames.empty());
        QCOMPARE(out.frames.front().type, PhaseFrame::Placement);
        const json placement = json::parse(out.frames.front().payload);
        QVERIFY(!placement.value("host", "").empty());
        std::vector<char> order;
        std::map<char, std::string> payloads;
        for (const WireFrame& f : out.frames) {
            QVERIFY2(f.type != PhaseFrame::Failure, f.payload.c_str());
            if (f.type != PhaseFrame::Output && !TreeUnpacker::isEntry(f.type))
                order.push_back(f.type);
            payloads.emplace(f.type, f.payload);
        }
        QCOMPARE(order, (std::vector<char>{PhaseFrame::Placement, PhaseFrame::SandboxGaps, PhaseFrame::Result,
                                           PhaseFrame::Stdout, PhaseFrame::Stderr, PhaseFrame::Mount,
                                           PhaseFrame::End}));
        QCOMPARE(json::parse(payloads[PhaseFrame::SandboxGaps]).value("sandbox", ""), std::string("bwrap"));
        const SandboxResult result = resultFromJson(json::parse(payloads[PhaseFrame::Result]));
        QVERIFY2(result.succeeded(), result.describe().c_str());
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(payloads[PhaseFrame::Stdout], std::string("print(1)\nout\n"));
        QVERIFY(payloads[PhaseFrame::Stderr].find("err") != std::string::npos);
        QCOMPARE(json::parse(payloads[PhaseFrame::Mount]).value("index", -1), 1);

        // The writable mount's entries, after its Mount frame, re-created here.
        const fs::path back = tempPath(dir) / "back";
        fs::create_directory(back);
        TreeUnpacker unpacker(back);
        bool afterMount = false;
        for (const WireFrame& f : out.frames) {
            if (f.type == PhaseFrame::Mount)
                afterMount = true;
            else if (TreeUnpacker::isEntry(f.type)) {
                QVERIFY2(afterMount, "an entry came before its Mount frame");
                unpacker.add(f);
            }
        }
        std::string names;
        for (const auto& name : listing(back))
            names += name + " ";
        QVERIFY2(listing(back) == (std::set<std::string>{"d", "link", "stale", "x"}), names.c_str());
        QCOMPARE(readFile(back / "x"), std::string("hi\n"));
        QCOMPARE(readFile(back / "stale"), std::string("from before\n"));
        QVERIFY(fs::is_directory(fs::symlink_status(back / "d")));
        QVERIFY(fs::is_symlink(fs::symlink_status(back / "link")));
        QCOMPARE(fs::read_symlink(back / "link").string(), std::string("/etc/passwd"));
    }

    void corruptRequestIsAFailure()
    {
        const std::atomic<bool> stop{false};
        std::string garbage = "\x7f" "ELF this is not a phase stream at all";
        garbage += std::string(100, '\xff');
        const Output out = runNode(garbage, stop);
        QCOMPARE(out.status, 1);
        QCOMPARE(out.frames.size(), size_t(2));
        QCOMPARE(out.frames[0].type, PhaseFrame::Placement);
        QCOMPARE(out.frames[1].type, PhaseFrame::Failure);
        QVERIFY(!out.frames[1].payload.empty());

        // A request cut before its Go mark is a failure too, not a phase run on half its files.
        SandboxSpec spec;
        spec.argv = {"/bin/true"};
        std::string cut;
        appendFrame(cut, PhaseFrame::Header, specToJson(spec, "bwrap").dump());
        const Output cutOut = runNode(cut, stop);
        QCOMPARE(cutOut.status, 1);
        QCOMPARE(cutOut.frames.back().type, PhaseFrame::Failure);
        QVERIFY2(cutOut.frames.back().payload.find("Go") != std::string::npos,
                 cutOut.frames.back().payload.c_str());
    }

    void stoppedBeforeItStarts()
    {
        if (!haveBwrap())
            QSKIP("/usr/bin/bwrap is missing: the node's sandbox cannot run here");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const fs::path output = tempPath(dir) / "output";
        fs::create_directories(output);
        SandboxSpec spec;
        spec.argv = {"/bin/sh", "-c", "echo ran > /output/ran; sleep 30"};
        spec.mounts = {{output, "/output", true}};
        const std::atomic<bool> stop{true};
        const Output out = runNode(encodePhaseRequest(spec, "bwrap"), stop);
        QCOMPARE(out.status, 0);
        bool gotResult = false;
        for (const WireFrame& f : out.frames)
            if (f.type == PhaseFrame::Result) {
                const SandboxResult result = resultFromJson(json::parse(f.payload));
                QCOMPARE(static_cast<int>(result.limit), static_cast<int>(LimitHit::Cancelled));
                QVERIFY2(result.wallSeconds < 25, "the command ran its course");
                gotResult = true;
            }
        QVERIFY(gotResult);
        QCOMPARE(out.frames.back().type, PhaseFrame::End);
    }
};

QTEST_GUILESS_MAIN(TestPhaseStream)
#include "tst_phasestream.moc"
