#include "app/ManPage.h"

#include "app/ExitCode.h"
#include "app/VerbTable.h"

#include <QRegularExpression>

namespace clade::app {

namespace {

/// Text as troff prints it literally: backslashes and quotes escaped, `-` a minus (so
/// options can be searched for and copied), `code` in bold, no line read as a request.
QString roff(const QString& text)
{
    QString out;
    for (const QChar c : text) {
        if (c == '\\')
            out += "\\e";
        else if (c == '-')
            out += "\\-";
        else if (c == '"')
            out += "\\(dq";
        else
            out += c;
    }
    static const QRegularExpression code("`([^`]+)`");
    out.replace(code, "\\fB\\1\\fR");
    if (out.startsWith('.') || out.startsWith('\''))
        out.prepend("\\&");
    return out;
}

/// "new run; ..." as a sentence.
QString sentence(const QString& text)
{
    QString s = roff(text);
    if (!s.isEmpty())
        s[0] = s[0].toUpper();
    return s.endsWith('.') ? s : s + '.';
}

QString valueTag(const ValueSpec& value)
{
    if (value.kind != ValueSpec::Kind::Choice)
        return "\\fI" + roff(value.name) + "\\fR";
    QStringList choices;
    for (const QString& choice : value.choices)
        choices << "\\fI" + roff(choice) + "\\fR";
    return choices.join('|');
}

QString synopsis(const Verb& verb, const VerbSpec& spec)
{
    QString text = "\\fBclade " + roff(verb.name) + "\\fR";
    for (const QString& word : synopsisWords(spec))
        text += word == "[options]" ? " [\\fIoptions\\fR]" : " \\fI" + roff(word) + "\\fR";
    return text;
}

/// Verbs that share a declaration (approve, reject, ...) share its description too; only
/// their summaries tell them apart.
bool sharesDeclaration(const Verb& verb)
{
    for (const auto& other : verbTable())
        if (other.name != verb.name && other.declare == verb.declare)
            return true;
    return false;
}

QString verbSection(const Verb& verb)
{
    const VerbSpec spec = specOf(verb);
    QString text = ".SS \"" + synopsis(verb, spec) + "\"\n";
    if (spec.description.isEmpty() || sharesDeclaration(verb))
        text += sentence(verb.summary) + "\n.PP\n";
    text += roff(spec.description) + "\n";
    for (const auto& p : spec.positionals)
        text += ".TP\n\\fI" + roff(p.syntax) + "\\fR\n" + roff(p.description) + "\n";
    for (const auto& o : spec.options) {
        text += ".TP\n\\fB\\-\\-" + roff(o.name) + "\\fR";
        if (!o.value.isFlag())
            text += " " + valueTag(o.value);
        text += "\n" + roff(o.description) + "\n";
    }
    return text;
}

QString taggedParagraphs(const std::initializer_list<std::pair<const char*, const char*>>& items)
{
    QString text;
    for (const auto& [tag, body] : items)
        text += QString(".TP\n\\fB") + roff(tag) + "\\fR\n" + roff(body) + "\n";
    return text;
}

// Every variable the code reads (getenv, qEnvironmentVariable); tst_cli_help checks that
// none is left out. CLADE_NO_HOST_TUNING is the install script's, not clade's.
QString environmentSection()
{
    return ".SH ENVIRONMENT\n" +
           taggedParagraphs({
               {"XDG_DATA_HOME", "New runs go to $XDG_DATA_HOME/clade/runs unless --out names a "
                                 "folder (default ~/.local/share/clade/runs)."},
               {"XDG_CACHE_HOME", "Runs of other systems opened with `clade open` are imported "
                                  "once into $XDG_CACHE_HOME/clade/imports (default "
                                  "~/.cache/clade/imports)."},
               {"HOME", "The base of the defaults above."},
               {"OPENAI_API_KEY, ANTHROPIC_API_KEY, ...",
                "The model's API key, read from the variable that --llm-key-env (or key_env in "
                "--llm-config) names. run.json records only the name; the key never enters "
                "the sandbox."},
               {"DISPLAY, WAYLAND_DISPLAY, QT_QPA_PLATFORM",
                "When none is set there is no display: demo, run and resume run headless, and "
                "`clade open --screenshot` renders offscreen."},
               {"CLADE_EXAMPLES_DIR", "A folder of example agents, searched before "
                                      "<prefix>/share/clade/examples."},
               {"CLADE_SANDBOX_CGROUPS", "v1, v2 or off: the cgroup hierarchies the sandbox "
                                         "uses for memory and process limits and to kill a "
                                         "command's tree (default: what the host has)."},
               {"CLADE_SCRATCH_TMPFS", "off: when clade runs as root, candidates' scratch "
                                       "folders are plain folders instead of a size- and "
                                       "inode-limited tmpfs each."},
               {"PATH", "--executor slurm finds srun, scancel and squeue here."},
               {"SLURM_CONF, USER, LOGNAME, LANG",
                "With HOME and PATH, the only variables Slurm's client programs get from clade "
                "(--executor slurm); jobs start with --export=NONE, so nothing else of clade's "
                "environment, an API key included, reaches a compute node."},
               {"XDG_RUNTIME_DIR, DBUS_SESSION_BUS_ADDRESS",
                "Reach the user's systemd, which limits sandboxed commands through a transient "
                "scope when clade runs as an ordinary user and cannot make cgroups itself."},
           });
}

QString filesSection()
{
    return ".SH FILES\n" +
           taggedParagraphs({
               {"~/.local/share/clade/runs/", "New runs (see XDG_DATA_HOME)."},
               {"~/.cache/clade/imports/", "Imported runs of other systems (see XDG_CACHE_HOME)."},
               {"<prefix>/share/clade/examples/", "The bundled example agents (`clade examples`)."},
               {"~/.config/clade/clade.conf", "The explorer's recent runs."},
               {"RUN/run.json", "The run's settings: manifest, strategy, proposer, sandbox, "
                                "budgets, seed."},
               {"RUN/repo.git, RUN/clade.db, RUN/artifacts/", "Every node as a git commit, the "
                                                              "run store, and each node's logs."},
           });
}

QString exitStatusSection()
{
    QString text = ".SH EXIT STATUS\n";
    for (const auto& [code, meaning] : kExitCodeMeanings)
        text += ".TP\n.B " + QString::number(code) + "\n" + sentence(meaning) + "\n";
    text += ".PP\n" +
            roff("`clade sandbox` exits with the command's status, or 128 plus the "
                 "signal that ended it.") +
            "\n";
    return text;
}

} // namespace

QString manPage()
{
    QString text = ".\\\" Generated by `clade help --man` from the verbs' declarations.\n";
    text += ".TH CLADE 1 \"\" \"clade " + QString(CLADE_VERSION) + "\" \"User Commands\"\n";
    text += ".SH NAME\nclade \\- run and explore self\\-improving coding agents\n";
    text += ".SH SYNOPSIS\n.B clade\n.br\n.B clade\n.I VERB\n.RI [ options ]\n";
    text += ".br\n.B clade help\n.RI [ VERB ]\n";
    text += ".SH DESCRIPTION\n" +
            roff("Clade proposes changes to an agent's own code, evaluates every candidate in a "
                 "sandbox (bubblewrap, no network), keeps or reverts it, and searches over the "
                 "growing tree of versions with one of several strategies. Every version is a git "
                 "commit and every event is in a crash-safe run store; a person can inspect, "
                 "approve, reject, revert or branch any of it.") +
            "\n.PP\n" +
            roff("Without a verb, clade opens the explorer (with a display). demo, run and resume "
                 "show the run in the explorer when a display exists and run on the terminal "
                 "otherwise, or with --headless. The other verbs print and exit.") +
            "\n.PP\n" +
            roff("Every verb takes -h, --help. Options may come before or after the positional "
                 "arguments, and a value may be given as --name VALUE or --name=VALUE.") +
            "\n";
    text += ".SH COMMANDS\n";
    for (const auto& verb : verbTable())
        text += verbSection(verb);
    text += exitStatusSection() + environmentSection() + filesSection();
    text += ".SH SEE ALSO\n.BR bwrap (1),\n.BR git (1),\n.BR systemd\\-run (1)\n";
    return text;
}

} // namespace clade::app
