// clade help: the usage, one verb's help, the man page or the bash completion script, all
// made from the verb table so none of them can drift from what the parsers accept.
#include "app/BashCompletion.h"
#include "app/ExitCode.h"
#include "app/ManPage.h"
#include "app/UsageText.h"
#include "app/VerbParser.h"
#include "app/VerbTable.h"
#include "app/Verbs.h"
#include "engine/util/InputError.h"

#include <cstdio>

namespace clade::app {

using engine::InputError;

namespace {

QStringList verbNames()
{
    QStringList names;
    for (const auto& verb : verbTable())
        names << verb.name;
    return names;
}

} // namespace

void declareHelp(VerbSpec& s)
{
    s.description = "Usage of clade, or of one verb (as `clade VERB --help`); the manual page "
                    "clade(1) or a bash completion script, for packaging.";
    s.addPositional(ValueSpec::oneOf("VERB", verbNames()), "The verb to describe.", "[VERB]");
    s.addOption("man", "Print the manual page clade(1) (troff).");
    s.addOption("bash-completion", "Print a bash completion script for clade.");
}

int showHelp(const VerbParser& p)
{
    const QStringList args = p.positional();
    const int documents = int(p.isSet("man")) + int(p.isSet("bash-completion"));
    if (documents > 1)
        throw InputError("--man and --bash-completion: give one of them");
    if (args.size() > 1 || (documents > 0 && !args.isEmpty()))
        throw InputError("unexpected argument '" + args.back().toStdString() +
                         "' (see `clade help --help`)");
    QString text;
    if (p.isSet("man")) {
        text = manPage();
    } else if (p.isSet("bash-completion")) {
        text = bashCompletion();
    } else if (!args.isEmpty()) {
        const Verb* verb = findVerb(args.front());
        if (!verb)
            throw InputError("unknown verb '" + args.front().toStdString() +
                             "' (expected one of: " + verbNames().join(", ").toStdString() + ")");
        text = VerbParser(specOf(*verb)).helpText();
    } else {
        text = usageText();
    }
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
    return ExitDone;
}

} // namespace clade::app
