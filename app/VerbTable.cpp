#include "app/VerbTable.h"

#include "app/Verbs.h"

namespace clade::app {

const std::vector<Verb>& verbTable()
{
    static const std::vector<Verb> verbs = {
        {"demo",
         "new run of the bundled offline example, started at once (in the explorer when "
         "a display exists)",
         declareDemo, runDemo},
        {"run", "new run; AGENT is a folder with clade.json or a bundled example name", declareRun,
         runNew},
        {"resume", "continue an interrupted or finished run", declareResume, runResume},
        {"open",
         "the explorer on a run (live while it runs) or on another system's run; "
         "--screenshot renders it offscreen",
         declareOpen, openInExplorer},
        {"status", "counts by status, best node, budget used", declareStatus, showStatus},
        {"show", "one node's fields and results; --diff its change against the parent or OTHER",
         declareShow, showNode},
        {"export", "the whole run as JSON, CSV (one row per node) or Graphviz dot", declareExport,
         exportRun},
        {"import", "another system's run as a Clade run", declareImport, importRun},
        {"review", "the approval queue, with each node's findings", declareReview, showReviewQueue},
        {"approve", "a held proposal is evaluated; a held keep decision is applied",
         declareDecision, decide},
        {"reject", "a held proposal never runs; a held keep decision is refused", declareDecision,
         decide},
        {"revert", "the search stops building on NODE and its clade", declareDecision, decide},
        {"branch", "the next expansions start at NODE", declareDecision, decide},
        {"unpin", "expansions no longer start at NODE (ends `clade branch`)", declareDecision,
         decide},
        {"note", "keeps a note on NODE in the run's audit trail", declareDecision, decide},
        {"tag", "puts TAG on NODE", declareDecision, decide},
        {"untag", "takes TAG off NODE", declareDecision, decide},
        {"star", "stars NODE, to find it again", declareDecision, decide},
        {"unstar", "takes the star off NODE", declareDecision, decide},
        {"audit", "every review decision in order: when, node, what, who, note", declareAudit,
         showAudit},
        {"sandbox", "run one command in the engine's sandbox (to check a harness)", declareSandbox,
         runSandbox},
        {"phase-run",
         "the compute node's half of a phase sent by --executor slurm (started by srun)",
         declarePhaseRun, runPhaseRun},
        {"examples", "the bundled examples", declareExamples, listExamples},
        {"help", "this text; a verb's options; the manual page; a bash completion script",
         declareHelp, showHelp},
    };
    return verbs;
}

const Verb* findVerb(const QString& name)
{
    for (const auto& verb : verbTable())
        if (verb.name == name)
            return &verb;
    return nullptr;
}

VerbSpec specOf(const Verb& verb)
{
    VerbSpec spec;
    spec.verb = verb.name;
    verb.declare(spec);
    return spec;
}

} // namespace clade::app
