#pragma once

#include <QCommandLineParser>
#include <QStringList>

#include <optional>

namespace clade::app {

/// QCommandLineParser for one verb, with typed getters that throw InputError naming the
/// option and what was expected (so every verb reports bad usage the same way, status 2).
class VerbParser {
public:
    VerbParser(const QString& verb, const QString& description);

    void addOption(const QString& name, const QString& description,
                   const QString& valueName = {});
    void addPositional(const QString& name, const QString& description, const QString& syntax = {});
    /// `args` starts with the verb. Prints help and exits for --help.
    void parse(const QStringList& args);

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
