// The Slurm executor's rules without a cluster (issue 19): a fake `srun` and `scancel` first
// on PATH, scripted per call through the file SLURM_CONF names (the one variable of the
// engine's environment besides PATH, HOME, USER, LOGNAME and LANG that Slurm's clients get).
// A "run" call execs the real `clade phase-run`, so the phase really travels and runs in
// this host's sandbox; "lose" and "refuse" play what srun says when a node fails and when
// the cluster will not take the job. What is checked: a lost job runs again (and says so),
// up to the attempts; a refusal and a sandbox limit are never retried; a cancel reaches
// the job; srun's arguments and environment.
#include "engine/executor/SlurmExecutor.h"
#include "engine/util/InputError.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace clade::engine;
namespace fs = std::filesystem;

namespace {

bool haveBwrap()
{
    return ::access("/usr/bin/bwrap", X_OK) == 0;
}

std::string readFile(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void writeFile(const fs::path& file, const std::string& content)
{
    std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
}

// Each call: counts itself, notes its arguments and environment, skips srun's options,
// then does what line <call> of $SLURM_CONF says. "lose" answers like a step whose node
// died after it started: a placement, then nothing more (no end mark).
// (Plain literals, not raw strings: moc 6.4 loses the test class after these in raw strings.)
const char* const kFakeSrun =
    "#!/bin/sh\n"
    "here=$(dirname \"$0\")\n"
    "n=$(( $(cat \"$here/calls\" 2>/dev/null || echo 0) + 1 ))\n"
    "echo \"$n\" > \"$here/calls\"\n"
    "echo \"$*\" >> \"$here/srun-args\"\n"
    "env > \"$here/srun-env-$n\"\n"
    "what=$(sed -n \"${n}p\" \"$SLURM_CONF\")\n"
    "while [ $# -gt 0 ]; do\n"
    "    case \"$1\" in --*) shift ;; *) break ;; esac\n"
    "done\n"
    "export SLURM_JOB_ID=\"$n\" SLURM_STEP_ID=0\n"
    "case \"$what\" in\n"
    "run)\n"
    "    exec \"$@\" ;;\n"
    "lose)\n"
    "    cat > /dev/null\n"
    "    placement=\"{\\\"host\\\":\\\"vm\\\",\\\"job_id\\\":\\\"$n\\\",\\\"step_id\\\":\\\"0\\\"}\"\n"
    "    printf \"P\\\\$(printf %03o ${#placement})\\\\000\\\\000\\\\000%s\" \"$placement\"\n"
    "    echo \"srun: error: Node vm: node failure\" >&2\n"
    "    exit 1 ;;\n"
    "refuse)\n"
    "    echo \"srun: error: Unable to allocate resources: Invalid partition name specified\" >&2\n"
    "    exit 1 ;;\n"
    "*)\n"
    "    echo \"fake srun: nothing scripted for call $n\" >&2\n"
    "    exit 1 ;;\n"
    "esac\n";

const char* const kFakeScancel =
    "#!/bin/sh\n"
    "echo \"$*\" >> \"$(dirname \"$0\")/scancel-args\"\n";

/// The fake Slurm's folder, first on PATH for the whole test.
class FakeSlurm {
public:
    bool make()
    {
        if (!m_dir.isValid())
            return false;
        m_path = m_dir.path().toStdString();
        for (const auto& [name, text] : {std::pair{"srun", kFakeSrun}, std::pair{"scancel", kFakeScancel}}) {
            writeFile(m_path / name, text);
            fs::permissions(m_path / name, fs::perms(0755));
        }
        m_oldPath = qgetenv("PATH");
        m_oldConf = qgetenv("SLURM_CONF");
        qputenv("PATH", QByteArray(m_path.c_str()) + ":" + m_oldPath);
        qputenv("SLURM_CONF", (m_path / "script").c_str());
        return true;
    }
    void restore()
    {
        qputenv("PATH", m_oldPath);
        if (m_oldConf.isNull())
            qunsetenv("SLURM_CONF");
        else
            qputenv("SLURM_CONF", m_oldConf);
    }

    /// What each next srun call does, and forget earlier calls.
    void script(const std::vector<std::string>& calls)
    {
        std::string text;
        for (const auto& c : calls)
            text += c + "\n";
        writeFile(m_path / "script", text);
        for (const char* stale : {"calls", "srun-args", "scancel-args"})
            fs::remove(m_path / stale);
        for (int n = 1; n < 10; ++n)
            fs::remove(m_path / ("srun-env-" + std::to_string(n)));
    }
    int calls() const
    {
        const std::string text = readFile(m_path / "calls");
        return text.empty() ? 0 : std::stoi(text);
    }
    std::string srunArgs() const { return readFile(m_path / "srun-args"); }
    std::string srunEnv(int call) const { return readFile(m_path / ("srun-env-" + std::to_string(call))); }
    std::string scancelArgs() const { return readFile(m_path / "scancel-args"); }

private:
    QTemporaryDir m_dir;
    fs::path m_path;
    QByteArray m_oldPath, m_oldConf;
};

/// A phase writing into a writable /output mount, its output followed live.
struct Phase {
    QTemporaryDir dir;
    fs::path output, harness, live;
    SandboxSpec spec;

    explicit Phase(const std::string& command, double wallSeconds = 60)
    {
        const fs::path root = dir.path().toStdString();
        output = root / "output";
        harness = root / "harness";
        live = root / "live.log";
        fs::create_directories(output);
        fs::create_directories(harness);
        writeFile(harness / "input.txt", "from the engine\n");
        writeFile(output / "stale", "left by an earlier phase\n");
        spec.argv = {"/bin/sh", "-c", command};
        spec.mounts = {{harness, "/harness", false}, {output, "/output", true}};
        spec.limits.wallSeconds = wallSeconds;
        spec.liveOutput = live;
    }
};

SlurmSettings settings()
{
    SlurmSettings s;
    s.submit = "jobs"; // a job per phase: the fake has no sbatch for an allocation
    s.attempts = 3;
    s.cladeOnNodes = CLADE_BINARY;
    return s;
}

std::string joined(const std::vector<std::string>& words)
{
    std::string text;
    for (const auto& w : words)
        text += (text.empty() ? "" : " ") + w;
    return text;
}

} // namespace

class TestSlurmRetry : public QObject {
    Q_OBJECT

private:
    FakeSlurm m_slurm;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_slurm.make());
        QVERIFY(QFileInfo(QStringLiteral(CLADE_BINARY)).isExecutable());
    }
    void cleanupTestCase() { m_slurm.restore(); }

    void lostJobRunsAgain()
    {
        if (!haveBwrap())
            QSKIP("/usr/bin/bwrap is missing: `clade phase-run` cannot run the phase here");
        m_slurm.script({"lose", "run"});
        Phase phase("cat /harness/input.txt; echo out; echo hi > /output/x; rm /output/stale");
        SlurmExecutor ex(settings(), "bwrap", "clade-test-tag");
        const SandboxResult result = ex.run(phase.spec);

        QVERIFY2(result.succeeded(), result.describe().c_str());
        QCOMPARE(m_slurm.calls(), 2);
        QCOMPARE(result.stdoutText, std::string("from the engine\nout\n"));
        QCOMPARE(readFile(phase.output / "x"), std::string("hi\n"));
        QVERIFY2(!fs::exists(phase.output / "stale"), "the host folder is not what the phase left");
        QCOMPARE(result.placement.executor, std::string("slurm"));
        QCOMPARE(result.placement.jobId, std::string("2"));
        QCOMPARE(result.placement.stepId, std::string("0"));
        QCOMPARE(result.placement.lost.size(), size_t(1));
        QCOMPARE(result.placement.lost[0].jobId, std::string("1"));
        QCOMPARE(result.placement.lost[0].host, std::string("vm"));
        QVERIFY2(result.placement.lost[0].why.find("node failure") != std::string::npos,
                 result.placement.lost[0].why.c_str());

        const std::string live = readFile(phase.live);
        QVERIFY2(live.find("running the phase again") != std::string::npos, live.c_str());
        QVERIFY2(live.find("slurm job 1 lost") != std::string::npos, live.c_str());
        QVERIFY2(live.find("out\n") != std::string::npos, live.c_str());
    }

    void lostEveryTimeGivesUp()
    {
        m_slurm.script({"lose", "lose", "lose", "run"});
        Phase phase("echo never");
        SlurmExecutor ex(settings(), "bwrap", "clade-test-tag");
        const SandboxResult result = ex.run(phase.spec);
        QVERIFY(!result.launched);
        QCOMPARE(m_slurm.calls(), 3);
        QVERIFY2(result.launchError.find("lost 3 time(s)") != std::string::npos, result.launchError.c_str());
        QCOMPARE(result.placement.lost.size(), size_t(3));
        QCOMPARE(result.placement.lost[2].jobId, std::string("3"));
        QCOMPARE(readFile(phase.output / "stale"), std::string("left by an earlier phase\n"));
    }

    void refusalIsNotRetried()
    {
        m_slurm.script({"refuse", "run", "run"});
        Phase phase("echo never");
        SlurmExecutor ex(settings(), "bwrap", "clade-test-tag");
        const SandboxResult result = ex.run(phase.spec);
        QVERIFY(!result.launched);
        QCOMPARE(m_slurm.calls(), 1);
        QVERIFY2(result.launchError.find("Invalid partition name specified") != std::string::npos,
                 result.launchError.c_str());
        QVERIFY(result.placement.lost.empty());
    }

    void limitIsAResultNotRetried()
    {
        if (!haveBwrap())
            QSKIP("/usr/bin/bwrap is missing: `clade phase-run` cannot run the phase here");
        m_slurm.script({"run", "run", "run"});
        Phase phase("echo begun; sleep 30", 1);
        SlurmExecutor ex(settings(), "bwrap", "clade-test-tag");
        const SandboxResult result = ex.run(phase.spec);
        QVERIFY(result.launched);
        QCOMPARE(static_cast<int>(result.limit), static_cast<int>(LimitHit::Wall));
        QCOMPARE(m_slurm.calls(), 1);
        QVERIFY(result.placement.lost.empty());
        QCOMPARE(result.stdoutText, std::string("begun\n"));
    }

    void cancelReachesTheJob()
    {
        if (!haveBwrap())
            QSKIP("/usr/bin/bwrap is missing: `clade phase-run` cannot run the phase here");
        m_slurm.script({"run", "run"});
        Phase phase("echo started; sleep 60; echo hi > /output/late");
        SlurmExecutor ex(settings(), "bwrap", "clade-test-tag");
        std::atomic<bool> cancel{false};
        std::atomic<bool> done{false};
        SandboxResult result;
        std::thread worker([&] {
            result = ex.run(phase.spec, &cancel);
            done = true;
        });
        // The command has started on its "node" once its first line reached the live output.
        QTRY_VERIFY_WITH_TIMEOUT(readFile(phase.live).find("started") != std::string::npos, 60000);
        const auto cancelledAt = std::chrono::steady_clock::now();
        cancel = true;
        QTRY_VERIFY_WITH_TIMEOUT(done.load(), 60000);
        worker.join();
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - cancelledAt).count();

        QCOMPARE(static_cast<int>(result.limit), static_cast<int>(LimitHit::Cancelled));
        QCOMPARE(m_slurm.calls(), 1);
        QCOMPARE(m_slurm.scancelArgs(), std::string("1\n"));
        // The node stopped the command and answered (its output is in the result), rather
        // than srun being killed 10 s after the cancel.
        QCOMPARE(result.stdoutText, std::string("started\n"));
        QVERIFY2(seconds < 9, qPrintable(QStringLiteral("the cancel took %1 s").arg(seconds)));
        QVERIFY(!fs::exists(phase.output / "late"));
    }

    void srunArguments()
    {
        m_slurm.script({"refuse"});
        SlurmSettings s = settings();
        SlurmExecutor plain(s, "bwrap", "clade-test-tag");
        SandboxLimits limits;
        limits.memoryMb = 1000;
        limits.wallSeconds = 90;
        const std::vector<std::string> args = plain.srunArguments(limits);
        auto has = [&](const std::vector<std::string>& list, const std::string& word) {
            return std::find(list.begin(), list.end(), word) != list.end();
        };
        QVERIFY2(has(args, "--export=NONE"), joined(args).c_str());
        QVERIFY2(has(args, "--job-name=clade-test-tag"), joined(args).c_str());
        QVERIFY2(has(args, "--mem=1256"), joined(args).c_str());
        QVERIFY2(has(args, "--time=3"), joined(args).c_str()); // 90 s: 2 minutes, and one to carry files
        for (const auto& a : args)
            QVERIFY2(a.rfind("--partition", 0) != 0 && a.rfind("--account", 0) != 0, a.c_str());

        s.time = "0:30:00";
        s.partition = "gpu";
        s.account = "lab";
        s.extraArgs = {"--qos=high", "--constraint=avx2"};
        SlurmExecutor tuned(s, "bwrap", "clade-other-tag");
        const std::vector<std::string> more = tuned.srunArguments(limits);
        QVERIFY2(has(more, "--time=0:30:00"), joined(more).c_str());
        QVERIFY2(!has(more, "--time=3"), joined(more).c_str());
        QVERIFY2(has(more, "--job-name=clade-other-tag"), joined(more).c_str());
        QVERIFY2(more.size() >= 4, joined(more).c_str());
        QCOMPARE(std::vector<std::string>(more.end() - 4, more.end()),
                 (std::vector<std::string>{"--partition=gpu", "--account=lab", "--qos=high", "--constraint=avx2"}));

        // And srun gets exactly them, then the program on the node.
        Phase phase("echo never");
        phase.spec.limits = limits;
        tuned.run(phase.spec);
        QCOMPARE(m_slurm.srunArgs(), joined(more) + " " + CLADE_BINARY + " phase-run\n");
    }

    void clientEnvironmentKeepsSecretsOut()
    {
        qputenv("CLADE_TEST_API_KEY", "sk-should-never-reach-slurm");
        const std::vector<std::string> env = slurmClientEnvironment();
        bool path = false, conf = false;
        for (const auto& e : env) {
            QVERIFY2(e.find("CLADE_TEST_API_KEY") == std::string::npos, e.c_str());
            path = path || e.rfind("PATH=", 0) == 0;
            conf = conf || e.rfind("SLURM_CONF=", 0) == 0;
        }
        QVERIFY(path && conf);

        // What the fake srun saw: no key, nothing beyond the six names and what a shell adds.
        m_slurm.script({"refuse"});
        Phase phase("echo never");
        SlurmExecutor ex(settings(), "bwrap", "clade-test-tag");
        ex.run(phase.spec);
        const std::string seen = m_slurm.srunEnv(1);
        qunsetenv("CLADE_TEST_API_KEY");
        QVERIFY2(!seen.empty(), "the fake srun did not run");
        QVERIFY2(seen.find("sk-should-never-reach-slurm") == std::string::npos, seen.c_str());
        QVERIFY2(seen.find("SLURM_CONF=") != std::string::npos, seen.c_str());
    }

    void withoutSrunOnPath()
    {
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", "/nonexistent-clade-test");
        bool threw = false;
        try {
            SlurmExecutor ex(settings(), "bwrap", "clade-test-tag");
        } catch (const InputError& e) {
            threw = std::string(e.what()).find("srun") != std::string::npos;
        }
        qputenv("PATH", path);
        QVERIFY(threw);
    }

    void runTagIsStable()
    {
        QTemporaryDir dir;
        const fs::path run = dir.path().toStdString();
        const std::string tag = slurmRunTag(run, 1765000000.25);
        QCOMPARE(tag, slurmRunTag(run, 1765000000.25));
        // The same folder however it is spelled (the engine and `clade cancel` may differ).
        QCOMPARE(tag, slurmRunTag(fs::path(run.string() + "/"), 1765000000.25));
        QCOMPARE(tag, slurmRunTag(run.parent_path() / "." / run.filename(), 1765000000.25));
        QVERIFY(tag != slurmRunTag(run, 1765000001.25));
        QVERIFY(tag != slurmRunTag(run / "other", 1765000000.25));
        QVERIFY2(tag.rfind("clade-", 0) == 0, tag.c_str());
        QCOMPARE(tag.size(), size_t(18));
        QCOMPARE(tag.find_first_not_of("0123456789abcdef", 6), std::string::npos);
    }

    void refusalOfABigRequest()
    {
        // A real srun refuses before it reads its standard input, so a request larger than
        // a pipe's buffer meets a closed pipe: that is a refusal too, not the engine's end
        // (SIGPIPE). Last in the file: a SIGPIPE ends the test program.
        m_slurm.script({"refuse", "run", "run"});
        Phase phase("echo never");
        writeFile(phase.harness / "big.bin", std::string(4 << 20, 'x'));
        SlurmExecutor ex(settings(), "bwrap", "clade-test-tag");
        const SandboxResult result = ex.run(phase.spec);
        QVERIFY(!result.launched);
        QCOMPARE(m_slurm.calls(), 1);
        QVERIFY2(result.launchError.find("Invalid partition name specified") != std::string::npos,
                 result.launchError.c_str());
    }
};

QTEST_GUILESS_MAIN(TestSlurmRetry)
#include "tst_slurmretry.moc"
