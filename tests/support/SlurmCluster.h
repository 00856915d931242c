#pragma once
// The local Slurm cluster that tests/cluster/slurm-cluster.sh starts for the cluster tests
// (issue 19), as a test sees it: is it up, and if not why; its clients' environment; running
// squeue, sbatch, scancel and friends against it.
//
// ctest gives a cluster test CLADE_TEST_SLURM_DIR (tests/cluster/CMakeLists.txt). A test
// skips itself when the cluster is not up, because ctest runs it even when cluster.start
// skipped:
//   if (!m_cluster.isUp()) QSKIP(qPrintable(m_cluster.unavailableReason()));

#include <QByteArray>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace testsupport {

struct SlurmCommandResult {
    int exitCode = -1; ///< -1: it did not start, crashed or timed out
    QByteArray out;
    QByteArray err;

    bool ok() const { return exitCode == 0; }

    /// Everything, for a failing check's message.
    QByteArray describe() const
    {
        return "exit " + QByteArray::number(exitCode) + "\n--- stderr\n" + err + "--- stdout\n" +
               out;
    }
};

/// How a job ended, as Slurm recorded it. Empty state: Slurm has no record of the job.
struct SlurmJobEnd {
    QString state;    ///< COMPLETED, FAILED, CANCELLED, TIMEOUT, NODE_FAIL, ...
    QString exitCode; ///< "code:signal", e.g. "3:0"
};

class SlurmCluster {
public:
    SlurmCluster() : m_dir(qEnvironmentVariable("CLADE_TEST_SLURM_DIR")) {}

    QString dir() const { return m_dir; }
    QString slurmConf() const { return m_dir + "/slurm.conf"; }

    /// The start script writes DIR/env last, once the node is idle, and stop removes it.
    bool isUp() const
    {
        return !m_dir.isEmpty() && QFile::exists(m_dir + "/env") && QFile::exists(slurmConf());
    }

    /// Why the cluster is not up, for QSKIP; empty when it is.
    QString unavailableReason() const
    {
        if (m_dir.isEmpty())
            return "CLADE_TEST_SLURM_DIR is not set: run this test through ctest, which "
                   "starts the local Slurm cluster first (test cluster.start)";
        if (isUp())
            return {};
        QFile reason(m_dir + "/skip-reason");
        if (reason.open(QIODevice::ReadOnly))
            return QString::fromUtf8(reason.readAll()).trimmed();
        return "no Slurm cluster is running in " + m_dir +
               ": cluster.start has not run, failed, or cluster.stop already ran";
    }

    /// This process's environment for a Slurm client: SLURM_CONF names this cluster, and no
    /// SLURM_* variable of an outer job (tests run inside an allocation) leaks into it.
    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        for (const QString& key : e.keys())
            if (key.startsWith("SLURM_") || key.startsWith("SBATCH_") || key.startsWith("SRUN_") ||
                key.startsWith("SALLOC_") || key.startsWith("SQUEUE_"))
                e.remove(key);
        e.insert("SLURM_CONF", slurmConf());
        e.insert("PATH", e.value("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin");
        return e;
    }

    /// `program args...` (squeue, sbatch, scancel, srun, ...) against this cluster, in
    /// workDir if given, waited for up to timeoutMs.
    SlurmCommandResult run(const QString& program, const QStringList& args,
                           const QString& workDir = {}, int timeoutMs = 60000) const
    {
        QProcess p;
        p.setProcessEnvironment(env());
        if (!workDir.isEmpty())
            p.setWorkingDirectory(workDir);
        p.start(program, args);
        SlurmCommandResult r;
        if (!p.waitForStarted()) {
            r.err = program.toUtf8() + " did not start: " + p.errorString().toUtf8();
            return r;
        }
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
            r.err = program.toUtf8() + " timed out";
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    /// Ids of the pending, running or completing jobs named `name` (sbatch/srun -J).
    QStringList activeJobsNamed(const QString& name) const
    {
        const SlurmCommandResult r = run("squeue", {"--noheader", "--name=" + name, "--format=%i"});
        return QString::fromUtf8(r.out).split('\n', Qt::SkipEmptyParts);
    }

    /// How job `id` ended, once it has left squeue's default listing. There is no slurmdbd,
    /// so plain sacct has nothing to read. The controller keeps a finished job for MinJobAge
    /// (300 s) in `scontrol show job`; the job completion log (JobCompType=jobcomp/filetxt)
    /// keeps it for good, and `sacct --completion` reads that log.
    SlurmJobEnd jobEnd(const QString& id) const
    {
        const SlurmCommandResult shown = run("scontrol", {"--oneliner", "show", "job", id});
        if (shown.ok()) {
            const QString line = QString::fromUtf8(shown.out);
            static const QRegularExpression state("\\bJobState=(\\S+)");
            static const QRegularExpression exit("\\bExitCode=(\\S+)");
            return {state.match(line).captured(1), exit.match(line).captured(1)};
        }
        const SlurmCommandResult logged =
            run("sacct", {"--completion", "--jobs=" + id, "--noheader", "--parsable2",
                          "--format=JobID,State,ExitCode"});
        for (const QString& line : QString::fromUtf8(logged.out).split('\n', Qt::SkipEmptyParts)) {
            const QStringList f = line.split('|');
            if (f.size() == 3 && f[0] == id)
                return {f[1], f[2]};
        }
        return {};
    }

private:
    QString m_dir;
};

} // namespace testsupport
