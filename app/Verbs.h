#pragma once

#include <QStringList>

namespace clade::app {

// One function per verb; each gets the arguments after the verb and returns the exit
// status. Bad input is thrown as engine::InputError and turned into status 2 by main().
int runDemo(const QStringList& args);
int runNew(const QStringList& args);
int runResume(const QStringList& args);
int showStatus(const QStringList& args);
int showNode(const QStringList& args);
int exportRun(const QStringList& args);
int importRun(const QStringList& args);
int runSandbox(const QStringList& args);
int listExamples(const QStringList& args);
int openInExplorer(const QStringList& args);
int showReviewQueue(const QStringList& args);
/// approve, reject, revert, branch, unpin, note, tag, untag, star, unstar (args[0]).
int decide(const QStringList& args);

} // namespace clade::app
