#include "app/VerbParser.h"

#include "engine/util/InputError.h"

#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>

namespace clade::app {

using engine::InputError;

VerbParser::VerbParser(const VerbSpec& spec) : m_verb(spec.verb)
{
    m_parser.setApplicationDescription(spec.description);
    // Not addHelpOption(): that also accepts --help-all, which parse() would not act on,
    // and the generated documents would have to explain an option no verb uses.
    m_parser.addOption(QCommandLineOption({"h", "help"}, "Displays help on commandline options."));
    m_parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
    for (const auto& o : spec.options)
        m_parser.addOption(o.value.isFlag()
                               ? QCommandLineOption(o.name, o.description)
                               : QCommandLineOption(o.name, o.description, o.value.name));
    for (const auto& p : spec.positionals)
        m_parser.addPositionalArgument(p.value.name, p.description, p.syntax);
}

void VerbParser::parse(const QStringList& args)
{
    QStringList full = args;
    full.front() = "clade " + m_verb;
    if (!m_parser.parse(full))
        throw InputError(m_parser.errorText().toStdString() + " (see `clade " +
                         m_verb.toStdString() + " --help`)");
    if (m_parser.isSet("help")) {
        std::fputs(qPrintable(helpText()), stdout);
        std::exit(0);
    }
}

QString VerbParser::helpText() const
{
    // Qt names the executable as it was started (a path, and no verb) in the usage line.
    QString text = m_parser.helpText();
    const QString exe = QCoreApplication::arguments().value(0);
    const QString usage = QStringLiteral("Usage: ");
    if (!exe.isEmpty() && text.startsWith(usage + exe))
        text.replace(usage.size(), exe.size(), "clade " + m_verb);
    return text;
}

QString VerbParser::requirePositional(int index, const QString& what) const
{
    const auto args = positional();
    if (index >= args.size())
        throw InputError("missing " + what.toStdString() + " (see `clade " + m_verb.toStdString() +
                         " --help`)");
    return args.at(index);
}

std::optional<int> VerbParser::intValue(const QString& name, int min, int max) const
{
    if (!isSet(name))
        return std::nullopt;
    bool ok = false;
    const int v = value(name).toInt(&ok);
    if (!ok || v < min || v > max)
        throw InputError("--" + name.toStdString() + ": expected a whole number from " +
                         std::to_string(min) + " to " + std::to_string(max) + ", got '" +
                         value(name).toStdString() + "'");
    return v;
}

std::optional<double> VerbParser::doubleValue(const QString& name, double min) const
{
    if (!isSet(name))
        return std::nullopt;
    bool ok = false;
    const double v = value(name).toDouble(&ok);
    if (!ok || v < min)
        throw InputError("--" + name.toStdString() + ": expected a number >= " +
                         std::to_string(min) + ", got '" + value(name).toStdString() + "'");
    return v;
}

} // namespace clade::app
