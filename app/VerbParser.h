#pragma once

#include "app/VerbSpec.h"

#include <QCommandLineParser>
#include <QStringList>

#include <optional>

namespace clade::app {

/// QCommandLineParser built from one verb's VerbSpec, with typed getters that throw
/// InputError naming the option and what was expected (so every verb reports bad usage the
/// same way, status 2).
class VerbParser {
public:
    explicit VerbParser(const VerbSpec& spec);

    /// `args` starts with the verb. Prints help and exits for -h/--help.
    void parse(const QStringList& args);
    /// What `clade VERB --help` prints.
    QString helpText() const;

    const QString& verb() const { return m_verb; }
    bool isSet(const QString& name) const { return m_parser.isSet(name); }
    QString value(const QString& name) const { return m_parser.value(name); }
    QStringList values(const QString& name) const { return m_parser.values(name); }
    QStringList positional() const { return m_parser.positionalArguments(); }

    /// The i-th positional argument; InputError naming `what` when it is missing.
    QString requirePositional(int index, const QString& what) const;
    std::optional<int> intValue(const QString& name, int min, int max) const;
    std::optional<double> doubleValue(const QString& name, double min) const;

private:
    QString m_verb;
    QCommandLineParser m_parser;
};

} // namespace clade::app
