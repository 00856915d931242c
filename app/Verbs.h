#pragma once

namespace clade::app {

struct VerbSpec;
class VerbParser;

// Each verb declares its command line (declareX) apart from the code that runs it (runX
// and friends), so VerbTable can build the parser and every document from one source.
// Run functions get the parsed command line and return the exit status; bad input is
// thrown as engine::InputError and turned into status 2 by main().

void declareDemo(VerbSpec& spec);
int runDemo(const VerbParser& p);
void declareRun(VerbSpec& spec);
int runNew(const VerbParser& p);
void declareResume(VerbSpec& spec);
int runResume(const VerbParser& p);
void declareExamples(VerbSpec& spec);
int listExamples(const VerbParser& p);

void declareStatus(VerbSpec& spec);
int showStatus(const VerbParser& p);
void declareShow(VerbSpec& spec);
int showNode(const VerbParser& p);
void declareExport(VerbSpec& spec);
int exportRun(const VerbParser& p);

void declareImport(VerbSpec& spec);
int importRun(const VerbParser& p);
void declareSandbox(VerbSpec& spec);
int runSandbox(const VerbParser& p);
void declarePhaseRun(VerbSpec& spec);
int runPhaseRun(const VerbParser& p);
void declareOpen(VerbSpec& spec);
int openInExplorer(const VerbParser& p);

void declareReview(VerbSpec& spec);
int showReviewQueue(const VerbParser& p);
/// approve, reject, revert, branch, unpin, note, tag, untag, star, unstar (spec.verb).
void declareDecision(VerbSpec& spec);
int decide(const VerbParser& p);
void declareAudit(VerbSpec& spec);
int showAudit(const VerbParser& p);

void declareHelp(VerbSpec& spec);
int showHelp(const VerbParser& p);

} // namespace clade::app
