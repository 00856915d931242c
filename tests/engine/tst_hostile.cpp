// Hostile code in the real sandbox (issue 3). Each payload in tests/engine/hostile/ tries one
// escape or one exhaustion; each case asserts its specific outcome, then that the sandbox
// left nothing behind: no process, no cgroup, no secret in what came out, nothing written
// outside the scratch folder. Run as root, the suite runs itself once more as an ordinary
// user (asOrdinaryUser), so both of the sandbox's user paths are covered.
//
// Limits a backend declares unenforced (Sandbox::unenforcedLimits, "memory: ...", "cpu: ...",
// "pids: ...") are checked for containment only and reported as GAP lines; the moment the
// backend stops declaring one, its strict assertion applies.
//
// With CLADE_HOSTILE_EXECUTOR=slurm (tests/cluster registers this run against the local
// Slurm cluster) every payload goes through the Slurm executor instead: packed, sent to the
// compute node by srun, run there by `clade phase-run` in that node's sandbox. The node is
// this host, so the same process, cgroup and file checks apply.
#include "engine/executor/SlurmExecutor.h"
#include "engine/sandbox/Sandbox.h"
#include "engine/util/FolderUsage.h"
#include "engine/util/SafeRead.h"
#include "engine/util/ScratchSpace.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include "support/ProcessScan.h"
#include "support/SlurmCluster.h"

#include <QtTest>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace clade::engine;
namespace fs = std::filesystem;

using namespace testsupport;

namespace {

constexpr const char* kPython = "/usr/bin/python3";
// Set in the ordinary-user re-run, to the folder holding that run's copy of the programs
// and payloads (kitFolder()).
constexpr const char* kAsUserVar = "CLADE_HOSTILE_AS_USER";
constexpr const char* kSecretVar = "CLADE_HOSTILE_API_KEY";
constexpr const char* kTestUser = "clade-hostile-test";
constexpr const char* kPwned = "clade-hostile-pwned"; // the file write_outside.py creates
// Each case's writable folders: small, so that filling them is quick.
constexpr int kScratchMb = 16;
constexpr int kScratchInodes = 4000;

// The ordinary-user re-run reads its programs and payloads from a copy in that user's own
// folder: the build and source trees may lie where the user cannot read them (a clone
// under /root, mode 700, is where a newcomer working as root puts it).
fs::path kitFolder()
{
    return qEnvironmentVariable(kAsUserVar).toStdString();
}

QString cladeBinary()
{
    return kitFolder().empty() ? QString(CLADE_BINARY)
                               : QString::fromStdString((kitFolder() / "clade").string());
}

fs::path payloadFolder()
{
    return kitFolder().empty() ? fs::path(CLADE_SOURCE_DIR) / "tests/engine/hostile"
                               : kitFolder() / "hostile";
}

/// Copies what the re-run needs (this test, clade, the payloads, the example the engine
/// tests run) into `kit`, owned by uid:gid. Returns the environment that points at it.
QProcessEnvironment makeKit(const fs::path& kit, uid_t uid, gid_t gid)
{
    fs::create_directories(kit / "examples");
    fs::copy_file(QCoreApplication::applicationFilePath().toStdString(), kit / "tst_hostile");
    fs::copy_file(CLADE_BINARY, kit / "clade");
    fs::copy(fs::path(CLADE_SOURCE_DIR) / "tests/engine/hostile", kit / "hostile",
             fs::copy_options::recursive);
    fs::copy(fs::path(CLADE_SOURCE_DIR) / "examples/binpack", kit / "examples/binpack",
             fs::copy_options::recursive);
    for (const auto& entry : fs::recursive_directory_iterator(kit))
        (void)::lchown(entry.path().c_str(), uid, gid);
    (void)::lchown(kit.c_str(), uid, gid);
    QProcessEnvironment env;
    env.insert(kAsUserVar, QString::fromStdString(kit.string()));
    env.insert("CLADE_EXAMPLES_DIR", QString::fromStdString((kit / "examples").string()));
    return env;
}

std::string readFile(const fs::path& path, std::streamsize max = 1 << 20)
{
    std::ifstream in(path, std::ios::binary);
    std::string text(static_cast<size_t>(max), '\0');
    in.read(text.data(), max);
    text.resize(static_cast<size_t>(in.gcount()));
    return text;
}

void writeFile(const fs::path& path, const std::string& text, fs::perms mode)
{
    std::ofstream(path, std::ios::binary) << text;
    fs::permissions(path, mode);
}

std::string randomHex()
{
    return QString::number(QRandomGenerator::system()->generate64(), 16).toStdString();
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

// The first line of `text` that starts with `prefix`, or "".
std::string lineStarting(const std::string& text, const std::string& prefix)
{
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(prefix, 0) == 0)
            return line;
    return {};
}

std::string lastLineStarting(const std::string& text, const std::string& prefix)
{
    std::istringstream in(text);
    std::string last;
    for (std::string line; std::getline(in, line);)
        if (line.rfind(prefix, 0) == 0)
            last = line;
    return last;
}

// --- cgroups -------------------------------------------------------------------------------

struct CgroupMount {
    std::string root; // the hierarchy's path that is mounted
    fs::path point;   // where
    std::set<std::string> options;
    bool v2 = false;
};

const std::vector<CgroupMount>& cgroupMounts()
{
    static const std::vector<CgroupMount> mounts = [] {
        std::vector<CgroupMount> found;
        std::ifstream in("/proc/self/mountinfo");
        for (std::string line; std::getline(in, line);) {
            const size_t dash = line.find(" - ");
            if (dash == std::string::npos)
                continue;
            std::istringstream head(line.substr(0, dash)), tail(line.substr(dash + 3));
            std::string id, parent, device, root, point, type, source, options;
            head >> id >> parent >> device >> root >> point;
            tail >> type >> source >> options;
            if (type != "cgroup" && type != "cgroup2")
                continue;
            CgroupMount mount{root, point, {}, type == "cgroup2"};
            std::istringstream list(options);
            for (std::string option; std::getline(list, option, ',');)
                mount.options.insert(option);
            found.push_back(mount);
        }
        return found;
    }();
    return mounts;
}

// The host folders of the cgroups `pid` is in (empty once it is gone).
std::set<fs::path> cgroupFolders(pid_t pid)
{
    std::set<fs::path> folders;
    std::ifstream in("/proc/" + std::to_string(pid) + "/cgroup");
    for (std::string line; std::getline(in, line);) {
        const size_t first = line.find(':');
        const size_t second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos)
            continue;
        const std::string controllers = line.substr(first + 1, second - first - 1);
        const std::string path = line.substr(second + 1);
        for (const auto& mount : cgroupMounts()) {
            bool matches = mount.v2 == controllers.empty();
            std::istringstream list(controllers);
            for (std::string controller; matches && std::getline(list, controller, ',');)
                matches = mount.options.count(controller) > 0;
            if (!matches || path.rfind(mount.root, 0) != 0)
                continue;
            const std::string below = mount.root == "/" ? path : path.substr(mount.root.size());
            folders.insert(
                (mount.point / below.substr(below.rfind('/', 0) == 0 ? 1 : 0)).lexically_normal());
        }
    }
    return folders;
}

// The cgroups of `pid` that are not this test's own nor above them (a hierarchy's root,
// where an exiting process shows up, is no sandbox's cgroup).
std::set<fs::path> sandboxCgroups(pid_t pid)
{
    static const std::set<fs::path> own = cgroupFolders(::getpid());
    std::set<fs::path> folders;
    for (const auto& folder : cgroupFolders(pid)) {
        const std::string prefix = folder.string();
        if (std::none_of(own.begin(), own.end(),
                         [&](const fs::path& mine) { return mine.string().rfind(prefix, 0) == 0; }))
            folders.insert(folder);
    }
    return folders;
}

// `cgroups` and every parent folder of theirs named for the engine's pid, `engine`: what the
// engine made for its sandboxes, all of which must be gone once the engine has exited.
std::set<fs::path> withEngineFolders(std::set<fs::path> cgroups, qint64 engine)
{
    for (auto folder : std::set<fs::path>(cgroups))
        for (; folder.has_relative_path(); folder = folder.parent_path())
            if (folder.filename() == std::to_string(engine))
                cgroups.insert(folder);
    return cgroups;
}

// Samples the processes whose command line carries `marker` while a sandbox runs, and
// records the cgroups they are in other than this test's own.
class Watch {
public:
    explicit Watch(std::string marker)
        : m_marker(std::move(marker)), m_thread([this](std::stop_token stop) { sample(stop); })
    {
    }
    void finish()
    {
        m_thread.request_stop();
        if (m_thread.joinable())
            m_thread.join();
    }
    const std::set<fs::path>& cgroups() const { return m_cgroups; }
    int mostProcesses() const { return m_most; }

private:
    void sample(const std::stop_token& stop)
    {
        while (!stop.stop_requested()) {
            const auto pids = processesMentioning(m_marker);
            m_most = std::max(m_most, int(pids.size()));
            for (pid_t pid : pids)
                for (const auto& folder : sandboxCgroups(pid))
                    m_cgroups.insert(folder);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }

    std::string m_marker;
    std::set<fs::path> m_cgroups;
    int m_most = 0;
    std::jthread m_thread; // last: it uses the members above
};

// --- host state ------------------------------------------------------------------------------

// Every entry under `root` (symlinks not followed): type, mode, size, mtime, small contents.
std::map<std::string, std::string> snapshot(const fs::path& root)
{
    std::map<std::string, std::string> entries;
    std::error_code error;
    for (auto it = fs::recursive_directory_iterator(root, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        struct stat info {};
        if (::lstat(it->path().c_str(), &info) != 0)
            continue;
        std::string state = std::to_string(info.st_mode) + " " + std::to_string(info.st_size) +
                            " " + std::to_string(info.st_mtim.tv_sec) + "." +
                            std::to_string(info.st_mtim.tv_nsec);
        if (S_ISREG(info.st_mode) && info.st_size < 65536)
            state += " " + readFile(it->path());
        entries[it->path().lexically_relative(root).string()] = state;
    }
    return entries;
}

// One case's host folders under the temp folder, reachable by the sandbox user: the
// payloads as a read-only harness and an empty writable output folder made as the engine
// makes its scratch folders (ScratchSpace: a tmpfs of kScratchMb and kScratchInodes as
// root, a plain folder as an ordinary user).
class Arena {
public:
    explicit Arena(const std::string& name)
        : marker("clade-hostile-" + std::to_string(::getpid()) + "-" + name + "-" +
                 std::to_string(++s_count)),
          m_dir(QDir::tempPath() + "/clade-hostile-arena-XXXXXX"),
          m_scratch(sandboxUid(), sandboxGid(), {kScratchMb, kScratchInodes})
    {
        const fs::path root = m_dir.path().toStdString();
        fs::permissions(root, fs::perms(0755));
        harness = root / "harness";
        fs::create_directories(harness);
        fs::permissions(harness, fs::perms(0755));
        for (const auto& payload :
             fs::directory_iterator(payloadFolder())) {
            fs::copy_file(payload.path(), harness / payload.path().filename());
            fs::permissions(harness / payload.path().filename(), fs::perms(0644));
        }
        output = m_scratch.makeFolder("output", true);
        harnessBefore = snapshot(harness);
    }

    /// Whether scratch folders, this output and every sandbox's /tmp, are tmpfs mounts of
    /// their limits (root), which the kernel holds; else the disk watchdog does.
    bool scratchIsTmpfs() const { return m_scratch.limitsFolders(); }

    /// Removes the output folder as the engine does after a job.
    void releaseOutput() { m_scratch.release(output); }

    /// python3 /harness/PAYLOAD MARKER ARGS..., harness read-only, output writable.
    SandboxSpec spec(const std::string& payload, const std::vector<std::string>& args = {}) const
    {
        SandboxSpec spec;
        spec.argv = {kPython, "/harness/" + payload, marker};
        spec.argv.insert(spec.argv.end(), args.begin(), args.end());
        spec.mounts = {{harness, "/harness", false}, {output, "/output", true}};
        spec.workdir = "/output";
        spec.limits.wallSeconds = 10;
        spec.limits.cpuSeconds = 10;
        spec.limits.memoryMb = 512;
        spec.limits.pids = 64;
        spec.limits.outputBytes = 1 << 20;
        spec.limits.tmpMb = 16;
        spec.limits.scratchMb = kScratchMb;
        spec.limits.scratchInodes = kScratchInodes;
        return spec;
    }

    const std::string marker; // in every command line of the case; carries our pid
    fs::path harness, output;
    std::map<std::string, std::string> harnessBefore;

private:
    static inline int s_count = 0;
    QTemporaryDir m_dir;
    ScratchSpace m_scratch;
};

bool declaresUnenforced(const std::vector<std::string>& unenforced, const std::string& limit)
{
    return std::any_of(unenforced.begin(), unenforced.end(),
                       [&](const std::string& line) { return line.rfind(limit + ":", 0) == 0; });
}

// LimitHit::Pids once the backend has it (the cgroup work adds it).
template <typename E = LimitHit> std::optional<E> pidsLimitHit()
{
    if constexpr (requires { E::Pids; })
        return E::Pids;
    else
        return std::nullopt;
}

std::string summary(const SandboxResult& r)
{
    return r.describe() + " (limit " + std::to_string(int(r.limit)) + ", exit " +
           std::to_string(r.exitCode) + ", signal " + std::to_string(r.signal) + ", wall " +
           std::to_string(r.wallSeconds) + " s)\nstdout: " + r.stdoutText.substr(0, 2000) +
           "\nstderr: " + r.stderrText.substr(0, 2000);
}

struct Ran {
    SandboxResult result;
    std::set<fs::path> cgroups;
    int mostProcesses = 0;
};

// One `clade sandbox --json` run: what it printed, its report, its "not enforced" warnings.
struct CladeRan {
    int exitCode = -1;
    std::string out, err;
    QJsonObject report;
    std::vector<std::string> unenforced;
    std::set<fs::path> cgroups;
};

} // namespace

class TestHostile : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<Sandbox> m_sandbox;
    std::vector<std::string> m_unenforced;
    std::string m_envSecret, m_fileSecret;
    std::unique_ptr<QTemporaryDir> m_secretDir, m_rootSecretDir, m_canary;
    fs::path m_secretFile, m_rootSecretFile;
    std::map<std::string, std::string> m_canaryBefore;
    std::vector<std::string> m_gaps;
    int m_cgroupsChecked = 0;

    static bool throughSlurm() { return qEnvironmentVariable("CLADE_HOSTILE_EXECUTOR") == "slurm"; }

    void gap(const std::string& text)
    {
        qWarning("GAP: %s", text.c_str());
        m_gaps.push_back(text);
    }

    Ran run(const Arena& arena, const SandboxSpec& spec)
    {
        Watch watch(arena.marker);
        Ran ran;
        ran.result = m_sandbox->run(spec);
        watch.finish();
        qInfo("%s: %s", arena.marker.c_str(), ran.result.describe().c_str());
        ran.cgroups = watch.cgroups();
        ran.mostProcesses = watch.mostProcesses();
        return ran;
    }

    CladeRan runClade(const Arena& arena, const QStringList& options, const std::string& payload,
                      const QStringList& args = {})
    {
        QStringList argv = {
            "sandbox",   "--json",
            "--ro-bind", QString::fromStdString(arena.harness.string() + ":/harness"),
            "--bind",    QString::fromStdString(arena.output.string() + ":/output"),
            "--chdir",   "/output"};
        argv << options << "--" << kPython << QString::fromStdString("/harness/" + payload)
             << QString::fromStdString(arena.marker) << args;
        Watch watch(arena.marker);
        QProcess clade; // inherits this process's environment, the planted secret included
        clade.start(cladeBinary(), argv);
        const qint64 engine = clade.processId();
        CladeRan ran;
        if (!clade.waitForFinished(60000))
            clade.kill();
        clade.waitForFinished();
        watch.finish();
        ran.cgroups = withEngineFolders(watch.cgroups(), engine);
        ran.exitCode = clade.exitStatus() == QProcess::NormalExit ? clade.exitCode() : -1;
        ran.out = clade.readAllStandardOutput().toStdString();
        ran.err = clade.readAllStandardError().toStdString();
        qInfo("%s: clade sandbox exit %d", arena.marker.c_str(), ran.exitCode);
        std::istringstream lines(ran.err);
        const std::string warning = "clade sandbox: warning: not enforced: ";
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind(warning, 0) == 0)
                ran.unenforced.push_back(line.substr(warning.size()));
            else if (line.rfind("{", 0) == 0)
                ran.report = QJsonDocument::fromJson(QByteArray::fromStdString(line)).object();
        }
        return ran;
    }

    // Everything a contained run must not leave: a process, a cgroup, a secret in what came
    // out, a change outside the output folder. Empty when there is none.
    std::string leftovers(const Arena& arena, const std::string& out, const std::string& err,
                          const std::set<fs::path>& cgroups)
    {
        std::string problems;
        if (const auto pids = processesMentioning(arena.marker); !pids.empty())
            problems += std::to_string(pids.size()) + " sandbox processes left (first pid " +
                        std::to_string(pids.front()) + ")\n";
        for (const auto& folder : cgroups) {
            ++m_cgroupsChecked;
            std::error_code error;
            if (fs::exists(folder, error))
                problems += "cgroup left: " + folder.string() + "\n";
        }
        std::string written = out + err;
        std::error_code error;
        int files = 0;
        for (auto it = fs::recursive_directory_iterator(arena.output, error);
             !error && it != fs::recursive_directory_iterator() && files < 2000;
             it.increment(error), ++files)
            if (it->is_regular_file(error) && !it->is_symlink(error))
                written += readFile(it->path());
        for (const auto& secret : {m_envSecret, m_fileSecret, std::string(kSecretVar)})
            if (contains(written, secret))
                problems += "secret came out: " + secret + "\n";
        if (snapshot(m_canary->path().toStdString()) != m_canaryBefore)
            problems += "the host canary folder changed\n";
        if (snapshot(arena.harness) != arena.harnessBefore)
            problems += "the read-only harness changed\n";
        for (const fs::path folder : {"/", "/usr", "/etc", "/tmp"})
            if (fs::exists(folder / kPwned, error))
                problems += "written on the host: " + (folder / kPwned).string() + "\n";
        return problems;
    }

#define VERIFY_CONTAINED(arena, out, err, cgroups)                                                 \
    do {                                                                                           \
        const std::string problems_ = leftovers(arena, out, err, cgroups);                         \
        QVERIFY2(problems_.empty(), problems_.c_str());                                            \
    } while (false)

private Q_SLOTS:
    void initTestCase()
    {
        if (::access("/usr/bin/bwrap", X_OK) != 0)
            QSKIP("bubblewrap is not installed");
        QVERIFY(fs::exists(cladeBinary().toStdString()));
        if (throughSlurm()) {
            const SlurmCluster cluster;
            if (!cluster.isUp())
                QSKIP(qPrintable(cluster.unavailableReason()));
            qputenv("SLURM_CONF", cluster.slurmConf().toUtf8());
            SlurmSettings slurm;
            slurm.cladeOnNodes = cladeBinary().toStdString();
            m_sandbox = std::make_unique<SlurmExecutor>(slurm, "bwrap", "clade-hostile-" + randomHex());
            qInfo("through the Slurm executor (SLURM_CONF=%s)", qPrintable(qEnvironmentVariable("SLURM_CONF")));
        } else {
            m_sandbox = makeSandbox("bwrap");
        }
        m_unenforced = m_sandbox->unenforcedLimits();
        for (const auto& line : m_unenforced)
            qInfo("backend declares unenforced: %s", line.c_str());
        qInfo("running as uid %d; sandbox uid %d", int(::geteuid()), int(sandboxUid()));

        // An API key in the engine's environment, and host files made secret for the test.
        m_envSecret = "sk-clade-hostile-" + randomHex();
        m_fileSecret = "clade-file-secret-" + randomHex();
        qputenv(kSecretVar, QByteArray::fromStdString(m_envSecret));
        m_secretDir = std::make_unique<QTemporaryDir>("/tmp/clade-hostile-secret-XXXXXX");
        QVERIFY(m_secretDir->isValid());
        fs::permissions(m_secretDir->path().toStdString(), fs::perms(0700));
        m_secretFile = fs::path(m_secretDir->path().toStdString()) / "secret.txt";
        writeFile(m_secretFile, m_fileSecret + "\n", fs::perms(0600));
        if (::geteuid() == 0 && fs::is_directory("/root")) {
            m_rootSecretDir = std::make_unique<QTemporaryDir>("/root/clade-hostile-secret-XXXXXX");
            QVERIFY(m_rootSecretDir->isValid());
            m_rootSecretFile = fs::path(m_rootSecretDir->path().toStdString()) / "secret.txt";
            writeFile(m_rootSecretFile, m_fileSecret + "\n", fs::perms(0600));
        }

        // A folder anyone on the host may write: it must stay exactly as it is.
        m_canary = std::make_unique<QTemporaryDir>("/tmp/clade-hostile-canary-XXXXXX");
        QVERIFY(m_canary->isValid());
        const fs::path canary = m_canary->path().toStdString();
        fs::permissions(canary, fs::perms(0777));
        writeFile(canary / "canary.txt", "canary\n", fs::perms(0666));
        m_canaryBefore = snapshot(canary);
    }

    void cleanupTestCase()
    {
        for (const auto& line : m_gaps)
            qInfo("GAP: %s", line.c_str());
    }

    void forkBomb()
    {
        Arena arena("forkbomb");
        SandboxSpec spec = arena.spec("fork_bomb.py");
        spec.limits.pids = 32;
        spec.limits.wallSeconds = 1.5;
        const Ran ran = run(arena, spec);
        const SandboxResult& r = ran.result;
        QVERIFY2(r.launched && !r.succeeded(), summary(r).c_str());
        if (!declaresUnenforced(m_unenforced, "pids")) {
            // TIGHTEN-PIDS: holds once the cgroup backend stops declaring pids unenforced.
            const auto pids = pidsLimitHit();
            QVERIFY2(pids, "pids declared enforced, but LimitHit has no Pids value");
            QVERIFY2(r.limit == *pids, summary(r).c_str());
            QVERIFY2(ran.mostProcesses <= 32 + 2, std::to_string(ran.mostProcesses).c_str());
        } else {
            QVERIFY2(r.limit == LimitHit::Wall, summary(r).c_str());
            gap("pids: a fork bomb ran to " + std::to_string(ran.mostProcesses) +
                " processes until the wall limit (pids limit 32 not enforced)");
        }
        VERIFY_CONTAINED(arena, r.stdoutText, r.stderrText, ran.cgroups);
    }

    void memoryBomb()
    {
        Arena arena("membomb");
        SandboxSpec spec = arena.spec("memory_bomb.py");
        spec.limits.memoryMb = 256;
        const Ran ran = run(arena, spec);
        const SandboxResult& r = ran.result;
        QVERIFY2(r.launched && !r.succeeded(), summary(r).c_str());
        QVERIFY2(!contains(r.stdoutText, "allocated"), summary(r).c_str());
        // A memory cgroup reports the limit; RLIMIT_AS (kept or alone) fails the allocation.
        const bool cgroupKill = r.limit == LimitHit::Memory;
        const bool allocationFailed =
            r.limit == LimitHit::None && r.exitCode == 1 && contains(r.stderrText, "MemoryError");
        QVERIFY2(cgroupKill || allocationFailed, summary(r).c_str());
        QVERIFY2(r.peakMemoryKb > 64 * 1024 && r.peakMemoryKb <= (256 + 16) * 1024,
                 std::to_string(r.peakMemoryKb).c_str());
        VERIFY_CONTAINED(arena, r.stdoutText, r.stderrText, ran.cgroups);
    }

    void memoryBombTree()
    {
        Arena arena("memtree");
        SandboxSpec spec = arena.spec("memory_bomb_tree.py", {"4", "100"});
        spec.limits.memoryMb = 256;
        const Ran ran = run(arena, spec);
        const SandboxResult& r = ran.result;
        QVERIFY(r.launched);
        if (!declaresUnenforced(m_unenforced, "memory")) {
            // TIGHTEN-MEMORY: the whole tree's memory is limited, not each process's.
            QVERIFY2(r.limit == LimitHit::Memory, summary(r).c_str());
            QVERIFY2(!contains(r.stdoutText, "held"), summary(r).c_str());
        } else {
            gap("memory: a tree under a 256 MB limit printed '" +
                lastLineStarting(r.stdoutText, "held") + "' and ended '" + r.describe() +
                "' (RLIMIT_AS is per process)");
        }
        VERIFY_CONTAINED(arena, r.stdoutText, r.stderrText, ran.cgroups);
    }

    void infiniteOutput_data()
    {
        QTest::addColumn<QString>("stream");
        QTest::newRow("stdout") << "stdout";
        QTest::newRow("stderr") << "stderr";
        QTest::newRow("both") << "both";
    }
    void infiniteOutput()
    {
        QFETCH(QString, stream);
        Arena arena("output");
        SandboxSpec spec = arena.spec("infinite_output.py", {stream.toStdString()});
        constexpr long long cap = 256 * 1024;
        spec.limits.outputBytes = cap;
        const Ran ran = run(arena, spec);
        const SandboxResult& r = ran.result;
        QVERIFY2(r.limit == LimitHit::Output, summary(r).c_str());
        QCOMPARE(r.describe(), std::string("killed: output limit 262144 bytes per stream"));
        const bool out = stream != "stderr";
        const bool err = stream != "stdout";
        const std::string& fired =
            (out && (!err || r.stdoutBytes > cap)) ? r.stdoutText : r.stderrText;
        QCOMPARE(fired.size(), size_t(cap)); // exactly the cap, no more, no less
        QVERIFY(std::all_of(fired.begin(), fired.end(), [](char c) { return c == 'y'; }));
        QVERIFY(r.stdoutText.size() <= size_t(cap) && r.stderrText.size() <= size_t(cap));
        QVERIFY(std::max(r.stdoutBytes, r.stderrBytes) > cap);
        if (!out)
            QCOMPARE(r.stdoutBytes, 0LL);
        if (!err)
            QCOMPARE(r.stderrBytes, 0LL);
        VERIFY_CONTAINED(arena, r.stdoutText, r.stderrText, ran.cgroups);
    }

    void cpuSpin()
    {
        Arena arena("spin");
        SandboxSpec spec = arena.spec("cpu_spin.py");
        spec.limits.cpuSeconds = 1;
        spec.limits.wallSeconds = 8;
        const Ran ran = run(arena, spec);
        const SandboxResult& r = ran.result;
        QVERIFY2(r.limit == LimitHit::Cpu, summary(r).c_str());
        QVERIFY2(r.signal == SIGKILL || r.signal == SIGXCPU, summary(r).c_str());
        QVERIFY2(r.cpuSeconds >= 0.5, std::to_string(r.cpuSeconds).c_str());
        VERIFY_CONTAINED(arena, r.stdoutText, r.stderrText, ran.cgroups);
    }

    void cpuSpinTree()
    {
        Arena arena("spintree");
        SandboxSpec spec = arena.spec("cpu_spin_tree.py", {"2"});
        spec.limits.cpuSeconds = 1;
        spec.limits.wallSeconds = 8;
        const Ran ran = run(arena, spec);
        const SandboxResult& r = ran.result;
        QVERIFY(r.launched);
        if (!declaresUnenforced(m_unenforced, "cpu")) {
            // TIGHTEN-CPU: the whole tree's CPU time is limited, not each process's.
            QVERIFY2(r.limit == LimitHit::Cpu, summary(r).c_str());
            QVERIFY2(!contains(r.stdoutText, "children done"), summary(r).c_str());
        } else {
            gap("cpu: a tree of 2 spinners used " + std::to_string(r.cpuSeconds) +
                " s of CPU under a 1 s limit and ended '" + r.describe() +
                "' (RLIMIT_CPU is per process)");
        }
        VERIFY_CONTAINED(arena, r.stdoutText, r.stderrText, ran.cgroups);
    }

    void daemon_data()
    {
        QTest::addColumn<QString>("pipes");
        QTest::newRow("closes its pipes") << "close";
        QTest::newRow("keeps its pipes") << "keep";
    }
    void daemon()
    {
        QFETCH(QString, pipes);
        Arena arena("daemon");
        const SandboxSpec spec = arena.spec("daemon.py", {"/output/beat.txt", pipes.toStdString()});
        const Ran ran = run(arena, spec);
        const SandboxResult& r = ran.result;
        QVERIFY2(r.succeeded(), summary(r).c_str());
        QCOMPARE(r.stdoutText, std::string("parent exits\n"));
        // Not held until a limit: a runner that waited for the daemon's pipes would end
        // on the wall limit. (How fast it returns is bench_sandbox_launch's business.)
        QVERIFY2(r.limit == LimitHit::None, summary(r).c_str());
        QVERIFY(fs::exists(arena.output / "beat.txt"));  // the daemon did run
        // Right when run() returns, not eventually: nothing survives it.
        QCOMPARE(processesMentioning(arena.marker).size(), size_t(0));
        VERIFY_CONTAINED(arena, r.stdoutText, r.stderrText, ran.cgroups);
    }

    void tcpConnect()
    {
        QTcpServer tcp;
        QVERIFY(tcp.listen(QHostAddress::LocalHost, 0));
        QLocalServer local;
        local.setSocketOptions(QLocalServer::AbstractNamespaceOption);
        const QString name = "clade-hostile-" + QString::number(::getpid());
        QVERIFY(local.listen(name));
        Arena arena("tcp");
        const SandboxSpec spec =
            arena.spec("tcp_connect.py", {std::to_string(tcp.serverPort()), name.toStdString()});

        const Ran ran = run(arena, spec);
        const SandboxResult& r = ran.result;
        QVERIFY2(r.succeeded(), summary(r).c_str());
        QVERIFY2(!contains(r.stdoutText, "connected"), r.stdoutText.c_str());
        QCOMPARE(std::count(r.stdoutText.begin(), r.stdoutText.end(), '\n'), 4L);
        QVERIFY(lineStarting(r.stdoutText, "blocked ('127.0.0.1'") != "");
        QVERIFY(!tcp.waitForNewConnection(200)); // the listener saw nothing
        QVERIFY(!local.waitForNewConnection(200));
        VERIFY_CONTAINED(arena, r.stdoutText, r.stderrText, ran.cgroups);

        // The probe works: without namespaces the same payload reaches both listeners.
        const SandboxResult host = makeSandbox("unsafe-rlimits")->run(spec);
        QVERIFY2(contains(host.stdoutText, "connected ('127.0.0.1'"), summary(host).c_str());
        QVERIFY2(contains(host.stdoutText, "connected '\\x00clade-hostile"), summary(host).c_str());
        QVERIFY(tcp.waitForNewConnection(2000));
        QVERIFY(local.waitForNewConnection(2000));
    }

    void readSecretFile()
    {
        QCOMPARE(readFile(m_secretFile), m_fileSecret + "\n"); // the host can read it
        Arena arena("secretfile");
        std::vector<std::string> paths = {m_secretFile.string(), m_secretDir->path().toStdString()};
        if (!m_rootSecretFile.empty())
            paths.push_back(m_rootSecretFile.string());
        const Ran ran = run(arena, arena.spec("read_secret_file.py", paths));
        const SandboxResult& r = ran.result;
        QVERIFY2(r.succeeded(), summary(r).c_str());
        QVERIFY2(lineStarting(r.stdoutText, "read ").empty(), r.stdoutText.c_str());
        for (const auto& path : paths)
            QVERIFY2(!lineStarting(r.stdoutText, "denied " + path + ":").empty(), path.c_str());
        // Host /tmp is not there: the sandbox's /tmp is its own, and empty.
        QVERIFY2(contains(r.stdoutText, "list /tmp: []"), r.stdoutText.c_str());
        VERIFY_CONTAINED(arena, r.stdoutText, r.stderrText, ran.cgroups);
    }

    void readSecretEnv_data()
    {
        QTest::addColumn<bool>("throughClade");
        QTest::newRow("engine in-process") << false;
        QTest::newRow("clade sandbox") << true;
    }
    void readSecretEnv()
    {
        QFETCH(bool, throughClade);
        QCOMPARE(qgetenv(kSecretVar).toStdString(), m_envSecret); // planted in the engine
        Arena arena("secretenv");
        std::string out, err;
        std::set<fs::path> cgroups;
        if (throughClade) {
            const CladeRan ran = runClade(arena, {}, "read_secret_env.py");
            QVERIFY2(ran.exitCode == 0, ran.err.c_str());
            out = ran.out;
            err = ran.err;
            cgroups = ran.cgroups;
        } else {
            const Ran ran = run(arena, arena.spec("read_secret_env.py"));
            QVERIFY2(ran.result.succeeded(), summary(ran.result).c_str());
            out = ran.result.stdoutText;
            err = ran.result.stderrText;
            cgroups = ran.cgroups;
        }
        QVERIFY2(!contains(out + err, m_envSecret), out.c_str());
        QVERIFY2(!contains(out + err, kSecretVar), out.c_str());
        // pid 1 is bwrap, started with PATH only; the engine's pid is not in the namespace.
        QVERIFY2(contains(out, "/proc/1/environ: b'PATH=/usr/bin:/bin '"), out.c_str());
        const std::string pids = lineStarting(out, "pids: ");
        QVERIFY2(pids == "pids: [1, 2]", pids.c_str());
        VERIFY_CONTAINED(arena, out, err, cgroups);
    }

    void writeOutside()
    {
        Arena arena("write");
        const std::string canary = m_canary->path().toStdString();
        // The harness also by its host path, which must not exist inside.
        const std::vector<std::string> targets = {
            "/", "/usr", "/etc", canary, "/proc/sys", "/harness", arena.harness.string()};
        std::vector<std::string> args = {canary};
        args.insert(args.end(), targets.begin(), targets.end());
        const Ran ran = run(arena, arena.spec("write_outside.py", args));
        const SandboxResult& r = ran.result;
        QVERIFY2(r.succeeded(), summary(r).c_str());
        QVERIFY2(lineStarting(r.stdoutText, "written ").empty(), r.stdoutText.c_str());
        for (const auto& what :
             {"/proc/sys/kernel/hostname", "/proc/sysrq-trigger", "chmod /harness",
              "unlink /harness", "rename /harness", "link /harness", "remount /harness"})
            QVERIFY2(!lineStarting(r.stdoutText, std::string("blocked ") + what + ":").empty(),
                     what);
        for (const auto& target : targets)
            QVERIFY2(!lineStarting(r.stdoutText, "blocked " + target + ":").empty(),
                     target.c_str());
        // It could only write its own private /tmp, which vanished with it.
        QVERIFY2(contains(r.stdoutText, "private " + canary), r.stdoutText.c_str());
        QVERIFY(!fs::exists(fs::path(canary) / kPwned));
        VERIFY_CONTAINED(arena, r.stdoutText, r.stderrText, ran.cgroups);
    }

    void nestedUserNamespace()
    {
        Arena arena("userns");
        const Ran ran = run(arena, arena.spec("nested_userns.py"));
        const SandboxResult& r = ran.result;
        QVERIFY2(r.succeeded(), summary(r).c_str());
        QVERIFY2(lineStarting(r.stdoutText, "created").empty(), r.stdoutText.c_str());
        for (const auto& what :
             {"refused user:", "refused mount:", "refused net:", "refused unshare -U"})
            QVERIFY2(!lineStarting(r.stdoutText, what).empty(), r.stdoutText.c_str());
        VERIFY_CONTAINED(arena, r.stdoutText, r.stderrText, ran.cgroups);
    }

    void plantSymlink()
    {
        Arena arena("symlink");
        const Ran ran =
            run(arena, arena.spec("plant_symlink.py", {"/output", m_secretFile.string(),
                                                       m_secretDir->path().toStdString()}));
        const SandboxResult& r = ran.result;
        QVERIFY2(r.succeeded(), summary(r).c_str());
        // The trap is live: a naive host-side open follows it to the secret.
        QCOMPARE(readFile(arena.output / "description.txt"), m_fileSecret + "\n");

        std::string why;
        for (const char* trap : {"description.txt", "relative.txt"}) {
            why.clear();
            QVERIFY2(!readSandboxFile(arena.output, trap, 4096, &why), trap);
            QVERIFY2(contains(why, "symlink"), why.c_str());
        }
        // Through a symlinked folder (refused as "Not a directory": O_DIRECTORY|O_NOFOLLOW).
        QVERIFY(!readSandboxFile(arena.output, "sub/secret.txt", 4096));
        why.clear();
        QVERIFY(!readSandboxFile(arena.output, "result.fifo", 4096, &why)); // and did not block
        // The Slurm executor brings back files, folders and links only (TreePack.h): the
        // fifo stays on the node.
        QVERIFY2(contains(why, "not a regular file") ||
                     (throughSlurm() && contains(why, "No such file")),
                 why.c_str());
        const std::string escape = "../" + arena.output.filename().string() + "/ok.txt";
        QVERIFY(!readSandboxFile(arena.output, escape, 4096));
        const auto big = readSandboxFile(arena.output, "big.txt", 4096);
        QVERIFY(big);
        QCOMPARE(big->size(), size_t(4096)); // a 10 GB file comes out capped
        QCOMPARE(readSandboxFile(arena.output, "ok.txt", 4096).value_or(""),
                 std::string("honest\n"));
        VERIFY_CONTAINED(arena, r.stdoutText, r.stderrText, ran.cgroups);
        // Removing the scratch folder deletes the links, not what they point at.
        arena.releaseOutput();
        QVERIFY(!fs::exists(arena.output));
        QCOMPARE(readFile(m_secretFile), m_fileSecret + "\n");
    }

    void fillDisk_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("mode");
        QTest::newRow("tmp bytes") << "/tmp"
                                   << "bytes";
        QTest::newRow("tmp inodes") << "/tmp"
                                    << "inodes";
        QTest::newRow("writable mount bytes") << "/output"
                                              << "bytes";
        QTest::newRow("writable mount bytes in many files") << "/output"
                                                            << "files";
        QTest::newRow("writable mount inodes") << "/output"
                                               << "inodes";
        QTest::newRow("dev shm bytes") << "/dev/shm"
                                       << "bytes";
        QTest::newRow("dev bytes") << "/dev"
                                   << "bytes";
    }
    // Each writable place is either a tmpfs of exactly its limits (engine as root), which
    // refuses with ENOSPC and lets the command go on, or a plain folder (ordinary user),
    // whose command the disk watchdog kills once the folder reaches its limit.
    void fillDisk()
    {
        QFETCH(QString, folder);
        QFETCH(QString, mode);
        constexpr int tmpMb = 8;
        Arena arena("fill");
        SandboxSpec spec = arena.spec("fill_disk.py", {folder.toStdString(), mode.toStdString()});
        spec.limits.tmpMb = tmpMb;
        const Ran ran = run(arena, spec);
        const SandboxResult& r = ran.result;
        QVERIFY(r.launched);
        const std::string out = r.stdoutText;
        const auto stopped = QRegularExpression("stopped errno (\\d+) after (\\d+)")
                                 .match(QString::fromStdString(out));
        const long long count = stopped.hasMatch() ? stopped.captured(2).toLongLong() : -1;
        if (folder == "/dev") {
            // bwrap's /dev cannot be given a size, so it is read-only (EROFS): nothing of
            // host RAM can be filled through it.
            QVERIFY2(stopped.hasMatch() && stopped.captured(1) == "30", summary(r).c_str());
            QCOMPARE(count, 0LL);
            VERIFY_CONTAINED(arena, r.stdoutText, r.stderrText, ran.cgroups);
            return;
        }
        const bool inTmp = folder != "/output"; // /tmp and /dev/shm share one folder
        const bool inodes = mode == "inodes";
        const long long byteLimit = static_cast<long long>(inTmp ? tmpMb : kScratchMb) << 20;
        const long long limit = inodes ? kScratchInodes : byteLimit;
        const auto capacity = QRegularExpression("statvfs bytes (\\d+) inodes (\\d+)")
                                  .match(QString::fromStdString(out));
        QVERIFY2(capacity.hasMatch(), summary(r).c_str());
        if (arena.scratchIsTmpfs()) {
            // The kernel holds it: a tmpfs of exactly the limits, full at the limit.
            QCOMPARE(capacity.captured(1).toLongLong(), byteLimit);
            QCOMPARE(capacity.captured(2).toLongLong(), (long long)kScratchInodes);
            QVERIFY2(r.succeeded(), summary(r).c_str()); // ENOSPC, and the command goes on
            QVERIFY2(stopped.captured(1) == "28", summary(r).c_str());
            QVERIFY2(count > limit / 2 && count <= limit, summary(r).c_str());
        } else {
            // The disk watchdog holds it: killed at the limit, which the result names.
            const std::string inside = inTmp ? "/tmp and /dev/shm" : "/output";
            const std::string which = inodes ? "inode limit " + std::to_string(kScratchInodes)
                                             : "disk limit " + std::to_string(byteLimit >> 20) +
                                                   " MB";
            QVERIFY2(r.limit == LimitHit::Disk, summary(r).c_str());
            QCOMPARE(r.diskLimit, which + " in " + inside);
            if (mode == "bytes" && stopped.hasMatch()) {
                // One growing file ran into RLIMIT_FSIZE, the largest quota (16 MB), before
                // a poll saw it: killed while Python shut down, or found by the check after
                // it ended.
                QCOMPARE(stopped.captured(1), QString("27")); // EFBIG
                QCOMPARE(count, static_cast<long long>(kScratchMb) << 20);
                QVERIFY2(r.describe() == "killed: " + r.diskLimit ||
                             r.describe() == "exit 0, over " + r.diskLimit,
                         summary(r).c_str());
            } else {
                // Many files or inodes: no per-file cap, only the watchdog stops it.
                QVERIFY2(!stopped.hasMatch() && r.signal == SIGKILL, summary(r).c_str());
                QCOMPARE(r.describe(), "killed: " + r.diskLimit);
            }
            if (!inTmp) {
                // It did reach the limit (no early kill), and what it wrote past the limit
                // before the poll, the overshoot SECURITY.md speaks of, stayed behind.
                const FolderUsage left = measureFolder(arena.output);
                QVERIFY2(left.unmeasured.empty(), left.unmeasured.c_str());
                const long long used = inodes ? left.entries : left.bytes;
                QVERIFY2(used >= limit, std::to_string(used).c_str());
                qInfo("%s %s: %lld over the limit of %lld when stopped", folder.toUtf8().data(),
                      mode.toUtf8().data(), used - limit, limit);
            }
        }
        VERIFY_CONTAINED(arena, r.stdoutText, r.stderrText, ran.cgroups);
    }

    // `clade sandbox` names the limit that fired: memory for a memory bomb, CPU for a spin,
    // wall time for a hang, pids for a fork bomb, output for a flood, disk for a fill.
    void cladeReportsLimitThatFired_data()
    {
        QTest::addColumn<QString>("payload");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("limit");    // as named in unenforcedLimits, or ""
        QTest::addColumn<QString>("expected"); // in the report's "limit"
        QTest::addColumn<QString>("fallback"); // expected while `limit` is declared unenforced
        QTest::newRow("memory bomb")
            << "memory_bomb.py" << QStringList() << QStringList{"--memory", "256"} << "memory"
            << "killed: memory limit 256 MB"
            << "exit 1";
        QTest::newRow("cpu spin") << "cpu_spin.py" << QStringList()
                                  << QStringList{"--cpu-seconds", "1", "--wall-seconds", "8"} << ""
                                  << "killed: CPU time limit 1 s"
                                  << "";
        QTest::newRow("hang") << "hang.py" << QStringList() << QStringList{"--wall-seconds", "1"}
                              << ""
                              << "killed: wall-clock limit 1 s"
                              << "";
        QTest::newRow("fork bomb")
            << "fork_bomb.py" << QStringList()
            << QStringList{"--pids", "32", "--wall-seconds", "1.5", "--cpu-seconds", "10"} << "pids"
            << "killed: process limit 32"
            << "killed: wall-clock limit 1.5 s";
        QTest::newRow("infinite output")
            << "infinite_output.py" << QStringList{"stdout"} << QStringList() << ""
            << "killed: output limit 4194304 bytes per stream"
            << "";
        // 8 MB is below the output folder's own size (a 16 MB tmpfs as root), so the
        // watchdog holds it on both paths. (As root the tmpfs may fill and the command end
        // before a poll: "exit 0, over disk limit ...".)
        QTest::newRow("fill disk") << "fill_disk.py" << QStringList{"/output", "files"}
                                   << QStringList{"--scratch-mb", "8"} << ""
                                   << "disk limit 8 MB in /output"
                                   << "";
    }
    void cladeReportsLimitThatFired()
    {
        if (throughSlurm())
            QSKIP("a check of the local `clade` command, not of an executor");
        QFETCH(QString, payload);
        QFETCH(QStringList, args);
        QFETCH(QStringList, options);
        QFETCH(QString, limit);
        QFETCH(QString, expected);
        QFETCH(QString, fallback);
        Arena arena("clade");
        const CladeRan ran = runClade(arena, options, payload.toStdString(), args);
        QVERIFY2(!ran.report.isEmpty(), ran.err.substr(0, 4000).c_str());
        QCOMPARE(ran.report["backend"].toString(), QString("bwrap"));
        const QString reported = ran.report["limit"].toString();
        const bool unenforced =
            !limit.isEmpty() && declaresUnenforced(ran.unenforced, limit.toStdString());
        if (unenforced) {
            QVERIFY2(reported == fallback, qPrintable(reported));
            gap("clade sandbox reports '" + reported.toStdString() + "' for a " +
                payload.toStdString() + " (" + limit.toStdString() + " not enforced)");
        } else {
            // TIGHTEN-REPORT (memory, pids rows): holds once the cgroup backend lands.
            QVERIFY2(reported.contains(expected, Qt::CaseInsensitive), qPrintable(reported));
        }
        const int signal = ran.report["signal"].toInt();
        QCOMPARE(ran.exitCode, signal != 0 ? 128 + signal : ran.report["exit_code"].toInt());
        if (payload == "infinite_output.py") {
            QCOMPARE(ran.out.size(), size_t(4 << 20));
            QVERIFY(ran.report["stdout_bytes"].toDouble() > double(4 << 20));
        }
        if (payload == "memory_bomb.py")
            QVERIFY(ran.report["peak_memory_kb"].toDouble() > 64 * 1024);
        VERIFY_CONTAINED(arena, ran.out, ran.err, ran.cgroups);
    }

    // kill -9 of the engine mid-run: nothing of its sandboxes survives it, and the next
    // start sweeps what it left (scratch folders, cgroups).
    void engineSigkill()
    {
        if (throughSlurm())
            QSKIP("a check of the local `clade` command, not of an executor");
        QTemporaryDir dir(QDir::tempPath() + "/clade-hostile-run-XXXXXX");
        QVERIFY(dir.isValid());
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("XDG_DATA_HOME", dir.path());
        const QString out = dir.filePath("run");
        QProcess clade;
        clade.setProcessEnvironment(env);
        clade.setWorkingDirectory(dir.path());
        clade.start(cladeBinary(),
                    {"run", "binpack", "--iterations", "30", "--out", out, "--headless"});
        QVERIFY(clade.waitForStarted());
        const auto pid = static_cast<pid_t>(clade.processId());
        const std::string needle = "clade-scratch-" + std::to_string(pid) + "-";
        // Kill while a sandbox runs (their command lines name the engine's scratch folder).
        QTRY_VERIFY_WITH_TIMEOUT(!processesMentioning(needle).empty(), 20000);
        // Its sandboxes' cgroups, and their parents named for the engine's pid. They must
        // be gone after the next start; removed here in any case (rmdir: only if empty).
        struct Cleanup {
            std::set<fs::path> folders;
            ~Cleanup()
            {
                for (auto it = folders.rbegin(); it != folders.rend(); ++it)
                    ::rmdir(it->c_str());
            }
        } cgroups;
        for (pid_t sandboxed : processesMentioning(needle))
            for (const auto& folder : withEngineFolders(sandboxCgroups(sandboxed), pid))
                cgroups.folders.insert(folder);
        ::kill(pid, SIGKILL);
        QVERIFY(clade.waitForFinished(10000));
        QCOMPARE(clade.exitStatus(), QProcess::CrashExit);
        QTRY_VERIFY_WITH_TIMEOUT(processesMentioning(needle).empty(), 5000);

        const auto scratchLeft = [&] {
            std::vector<fs::path> left;
            for (const auto& entry : fs::directory_iterator(QDir::tempPath().toStdString()))
                if (entry.path().filename().string().rfind(needle, 0) == 0)
                    left.push_back(entry.path());
            return left;
        };
        QVERIFY(!scratchLeft().empty()); // a crash leaves them, the next start removes them
        QProcess next;
        next.setProcessEnvironment(env);
        next.start(cladeBinary(), {"resume", out, "--iterations", "1", "--headless"});
        QVERIFY(next.waitForFinished(60000));
        QVERIFY2(next.exitCode() == 0, next.readAllStandardError().constData());
        QVERIFY(scratchLeft().empty());
        for (const auto& folder : cgroups.folders) {
            ++m_cgroupsChecked;
            QVERIFY2(!fs::exists(folder), folder.c_str());
        }
        const auto canaryNow = snapshot(m_canary->path().toStdString());
        QVERIFY(canaryNow == m_canaryBefore);
    }

    // The same suite as an ordinary user that this test creates: the sandbox's other path
    // (bubblewrap's user namespace maps to the user itself; no switch of uid).
    void asOrdinaryUser()
    {
        if (throughSlurm())
            QSKIP("a check of the local `clade` command, not of an executor");
        if (qEnvironmentVariableIsSet(kAsUserVar))
            QSKIP("this is the ordinary-user run");
        if (::geteuid() != 0)
            QSKIP("not root: this run is the ordinary-user path (CI runs the suite as root)");
        if (!::getpwnam(kTestUser)) { // (another run may be creating it at the same time)
            QProcess useradd;
            useradd.start("useradd", {"--system", "--no-create-home", "--user-group", "--shell",
                                      "/usr/sbin/nologin", kTestUser});
            QVERIFY(useradd.waitForFinished(30000));
            QVERIFY2(useradd.exitCode() == 0 || ::getpwnam(kTestUser),
                     useradd.readAllStandardError().constData());
        }
        const passwd* user = ::getpwnam(kTestUser);
        QVERIFY(user && user->pw_uid != 0);
        const uid_t uid = user->pw_uid;
        const gid_t gid = user->pw_gid;

        QTemporaryDir home("/tmp/clade-hostile-user-XXXXXX"); // its TMPDIR and HOME
        QVERIFY(home.isValid());
        QVERIFY(::chown(home.path().toLocal8Bit().constData(), uid, gid) == 0);
        const fs::path kit = home.path().toStdString() + "/kit";
        QProcessEnvironment env = makeKit(kit, uid, gid);
        for (const auto& [name, value] : {std::pair{"PATH", "/usr/bin:/bin:/usr/sbin:/sbin"},
                                          std::pair{"LANG", "C.UTF-8"}})
            env.insert(name, value);
        for (const char* name : {"HOME", "TMPDIR", "XDG_DATA_HOME"})
            env.insert(name, home.path());
        QProcess child;
        child.setProcessEnvironment(env);
        child.setWorkingDirectory(home.path());
        child.setProcessChannelMode(QProcess::MergedChannels);
        child.start("/usr/bin/setpriv",
                    {"--reuid=" + QString::number(uid), "--regid=" + QString::number(gid),
                     "--clear-groups", QString::fromStdString((kit / "tst_hostile").string())});
        QVERIFY(child.waitForStarted());
        if (!child.waitForFinished(180000))
            child.kill();
        child.waitForFinished();
        const QString output = QString::fromLocal8Bit(child.readAll());
        for (const auto& line : output.split('\n'))
            if (line.contains("GAP: ") || line.startsWith("Totals:") || line.startsWith("FAIL!") ||
                line.contains("running as uid"))
                qInfo("[as %s] %s", kTestUser, qPrintable(line.trimmed()));
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
                 qPrintable(output.right(6000)));
        QVERIFY2(output.contains("PASS   : TestHostile::forkBomb()") &&
                     output.contains("running as uid " + QString::number(uid)),
                 qPrintable(output.right(6000)));
    }

    void cgroupsChecked()
    {
        if (m_cgroupsChecked == 0)
            QSKIP("the sandbox's processes ran in this test's own cgroups: no sandbox cgroup "
                  "to check for (cgroups not in use on this host or by this backend yet)");
        qInfo("%d sandbox cgroups checked gone", m_cgroupsChecked);
    }
};

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"
