#pragma once

#include <QString>
#include <QStringList>

#include <utility>
#include <vector>

namespace clade::app {

/// What a value on the command line is: the name help shows for it (DIR, N, NAME) and
/// what a shell can offer when completing it. The parser, `clade --help`, the man page and
/// the bash completion all read it, so none of them can name a value the others do not.
struct ValueSpec {
    enum class Kind {
        Text,    ///< anything; nothing to complete
        File,    ///< a file or folder name
        Dir,     ///< a folder name
        Command, ///< a program, then its arguments
        Choice,  ///< one of `choices`
    };

    ValueSpec() = default;
    // Implicit, so `addOption("iterations", "...", "N")` declares a free-text value.
    ValueSpec(const char* valueName) : name(QString::fromLatin1(valueName)) {}
    static ValueSpec file(const QString& valueName) { return {valueName, Kind::File}; }
    static ValueSpec dir(const QString& valueName) { return {valueName, Kind::Dir}; }
    static ValueSpec command(const QString& valueName) { return {valueName, Kind::Command}; }
    static ValueSpec oneOf(const QString& valueName, const QStringList& values)
    {
        return {valueName, Kind::Choice, values};
    }

    bool isFlag() const { return name.isEmpty(); }
    /// `sica|hgm|dgm` for a choice, else the name: how `clade --help` shows the value.
    QString shown() const { return kind == Kind::Choice ? choices.join('|') : name; }

    QString name;
    Kind kind = Kind::Text;
    QStringList choices;

private:
    ValueSpec(QString valueName, Kind k, QStringList values = {})
        : name(std::move(valueName)), kind(k), choices(std::move(values))
    {
    }
};

struct OptionSpec {
    QString name; ///< without dashes
    QString description;
    ValueSpec value; ///< empty name: a flag
};

struct PositionalSpec {
    ValueSpec value; ///< its name is the argument's (RUN, NODE)
    QString description;
    QString syntax; ///< as help shows it: `[OTHER]`, `-- CMD [ARGS...]`
};

/// One verb's command line: what its parser accepts and every generated document lists.
/// Each verb fills one in a `declare` function (see VerbTable) apart from the code that
/// runs it.
struct VerbSpec {
    QString verb;
    QString description; ///< the first lines of `clade VERB --help`
    std::vector<PositionalSpec> positionals;
    std::vector<OptionSpec> options;

    void addOption(const QString& name, const QString& description, const ValueSpec& value = {})
    {
        options.push_back({name, description, value});
    }
    void addPositional(const ValueSpec& value, const QString& description,
                       const QString& syntax = {})
    {
        positionals.push_back({value, description, syntax.isEmpty() ? value.name : syntax});
    }
};

/// The words after `clade VERB` in a synopsis: the positionals' syntax with "[options]"
/// where options go (before a `-- CMD` tail, which takes everything after it), if any.
inline QStringList synopsisWords(const VerbSpec& spec)
{
    QStringList words;
    bool placed = spec.options.empty();
    for (const auto& p : spec.positionals) {
        if (!placed && p.syntax.startsWith("--")) {
            words << "[options]";
            placed = true;
        }
        words << p.syntax;
    }
    if (!placed)
        words << "[options]";
    return words;
}

/// "a, b or c": how descriptions name a set of values, made from the set itself.
inline QString spokenList(const QStringList& values)
{
    if (values.size() < 2)
        return values.join(QString());
    return values.mid(0, values.size() - 1).join(", ") + " or " + values.back();
}

} // namespace clade::app
