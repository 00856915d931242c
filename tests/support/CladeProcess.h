#pragma once
// Runs the `clade` binary (CLADE_BINARY) as a person would and keeps what it said.

#include <QByteArray>
#include <QProcess>
#include <QStringList>

namespace testsupport {

struct CladeOutput {
    int exitCode = -1; ///< -1: it crashed or timed out
    QByteArray out;
    QByteArray err;

    /// Everything, for a failing check's message.
    QByteArray describe() const
    {
        return "exit " + QByteArray::number(exitCode) + "\n--- stderr\n" + err + "--- stdout\n" +
               out;
    }
};

/// `clade args...`, waited for up to two minutes (a loaded machine, a sanitizer).
inline CladeOutput runClade(const QStringList& args)
{
    QProcess p;
    p.start(CLADE_BINARY, args);
    CladeOutput o;
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        o.err = "clade timed out";
        return o;
    }
    o.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    o.out = p.readAllStandardOutput();
    o.err = p.readAllStandardError();
    return o;
}

} // namespace testsupport
