#include "app/VerbParser.h"

#include "engine/util/InputError.h"

#include <cstdio>
#include <cstdlib>

namespace clade::app {

using engine::InputError;

VerbParser::VerbParser(const QString& verb, const QString& description) : m_verb(verb)
{
    m_parser.setApplicationDescription(description);
    m_parser.addHelpOption();
    m_parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
}

void VerbParser::addOption(const QString& name, const QString& description,
                           const QString& valueName)
{
    m_parser.addOption(valueName.isEmpty() ? QCommandLineOption(name, description)
                                           : QCommandLineOption(name, description, valueName));
}

void VerbParser::addPositional(const QString& name, const QString& description,
                               const QString& syntax)
{
    m_parser.addPositionalArgument(name, description, syntax);
}

void VerbParser::parse(const QStringList& args)
{
    QStringList full = args;
    full.front() = "clade " + m_verb;
    if (!m_parser.parse(full))
        throw InputError(m_parser.errorText().toStdString() + " (see `clade " +
                         m_verb.toStdString() + " --help`)");
    if (m_parser.isSet("help")) {
        std::fputs(qPrintable(m_parser.helpText()), stdout);
        std::exit(0);
    }
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
