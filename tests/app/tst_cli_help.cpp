// The documents of the command line cannot drift from what it accepts: for every verb that
// `clade --help` lists, the options its parser accepts (read from `clade VERB --help`,
// QCommandLineParser's own list) must appear under that verb in `clade --help`, in the man
// page, in the bash completion and in README.md. A failure names the verb, the option and
// where it is missing.
#include <QDirIterator>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <set>

namespace {

constexpr int kTimeoutMs = 60000;

struct Output {
    int exitCode = -1;
    QString out;
    QString err;
};

Output run(const QString& program, const QStringList& args, const QByteArray& input = {})
{
    QProcess p;
    auto env = QProcessEnvironment::systemEnvironment();
    // The documents are generated at build time, without a display.
    for (const char* var : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(var);
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    Output o;
    if (!p.waitForFinished(kTimeoutMs)) {
        p.kill();
        p.waitForFinished();
        o.err = program + " timed out";
        return o;
    }
    o.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    o.out = QString::fromUtf8(p.readAllStandardOutput());
    o.err = QString::fromUtf8(p.readAllStandardError());
    return o;
}

Output clade(const QStringList& args)
{
    return run(CLADE_BINARY, args);
}

QString readSource(const QString& relative)
{
    QFile f(QStringLiteral(CLADE_SOURCE_DIR) + "/" + relative);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

/// What a verb's parser accepts, from QCommandLineParser's help: option names (without
/// dashes; -h/--help left out, every verb has them) and positional names.
struct Accepted {
    QStringList options;
    QStringList positionals;
};

Accepted parseVerbHelp(const QString& help)
{
    Accepted a;
    enum { None, Options, Arguments } section = None;
    // An entry starts two columns in; its wrapped description lines start further in.
    static const QRegularExpression option(
        R"(^  (?:-\w, )?--([a-z0-9][a-z0-9-]*)(?: <[^>]+>)?(?:\s|$))");
    static const QRegularExpression argument(R"(^  (\S+))");
    for (const QString& line : help.split('\n')) {
        if (line == "Options:")
            section = Options;
        else if (line == "Arguments:")
            section = Arguments;
        else if (section == Options) {
            const auto m = option.match(line);
            if (m.hasMatch() && m.captured(1) != "help")
                a.options << m.captured(1);
        } else if (section == Arguments) {
            const auto m = argument.match(line);
            if (m.hasMatch())
                a.positionals << m.captured(1);
        }
    }
    return a;
}

/// `--name` as a whole option name (not the start of `--name-more`).
bool mentionsOption(const QString& text, const QString& name)
{
    const QRegularExpression re("(^|[^\\w-])--" + QRegularExpression::escape(name) + "(?![\\w-])");
    return re.match(text).hasMatch();
}

bool mentionsWord(const QString& text, const QString& word)
{
    const QRegularExpression re("(^|[^\\w-])" + QRegularExpression::escape(word) + "(?![\\w-])");
    return re.match(text).hasMatch();
}

/// The man page as text: font changes dropped, escapes resolved, so it can be searched.
QString manText(QString roff)
{
    static const QRegularExpression font(R"(\\f[BIRP])");
    roff.remove(font);
    roff.replace("\\-", "-").replace("\\&", "").replace("\\(dq", "\"").replace("\\e", "\\");
    return roff;
}

/// Text of each verb's entry, keyed by verb: from a line `start + VERB` to the next line
/// that starts a section (`next`).
std::map<QString, QString> sections(const QString& text, const QRegularExpression& start,
                                    const QRegularExpression& next)
{
    std::map<QString, QString> out;
    QString current;
    for (const QString& line : text.split('\n')) {
        const auto m = start.match(line);
        if (m.hasMatch())
            current = m.captured(1);
        else if (next.match(line).hasMatch())
            current.clear();
        if (!current.isEmpty())
            out[current] += line + '\n';
    }
    return out;
}

/// `--name a|b|c` in a text: the option's fixed values as the text shows them.
QStringList shownChoices(const QString& text, const QString& name)
{
    const QRegularExpression re("--" + QRegularExpression::escape(name) +
                                R"( ([a-z0-9-]+(?:\|[a-z0-9-]+)+))");
    const auto m = re.match(text);
    return m.hasMatch() ? m.captured(1).split('|') : QStringList();
}

} // namespace

class CliHelp : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(CLADE_BINARY), CLADE_BINARY);
        const Output usage = clade({"--help"});
        QVERIFY2(usage.exitCode == 0, qPrintable(usage.err));
        m_usage = usage.out;
        const Output man = clade({"help", "--man"});
        QVERIFY2(man.exitCode == 0, qPrintable(man.err));
        m_manRoff = man.out;
        m_man = manText(man.out);
        const Output completion = clade({"help", "--bash-completion"});
        QVERIFY2(completion.exitCode == 0, qPrintable(completion.err));
        m_completion = completion.out;
        m_readme = readSource("README.md");
        QVERIFY(!m_readme.isEmpty());

        static const QRegularExpression usageVerb(R"(^  clade ([a-z][a-z-]*)\b)");
        static const QRegularExpression usageNext(R"(^(  clade |\S|$))");
        m_usageSections = sections(m_usage, usageVerb, usageNext);
        for (const auto& [verb, text] : m_usageSections)
            m_verbs << verb;
        QVERIFY2(m_verbs.size() > 10, qPrintable("few verbs in `clade --help`:\n" + m_usage));

        static const QRegularExpression manVerb("^\\.SS \"clade ([a-z][a-z-]*)\\b");
        static const QRegularExpression manNext(R"(^\.S[SH] )");
        m_manSections = sections(m_man, manVerb, manNext);

        for (const QString& verb : std::as_const(m_verbs)) {
            const Output help = clade({verb, "--help"});
            QVERIFY2(help.exitCode == 0,
                     qPrintable("`clade --help` lists '" + verb + "' but `clade " + verb +
                                " --help` exits " + QString::number(help.exitCode) + ": " +
                                help.err));
            QVERIFY2(help.out.startsWith("Usage: clade " + verb + " "),
                     qPrintable("`clade " + verb + " --help` does not start with its usage:\n" +
                                help.out));
            m_verbHelp[verb] = help.out;
            m_accepted[verb] = parseVerbHelp(help.out);
            // Every option line was read: the check below cannot pass by reading nothing.
            static const QRegularExpression optionLine("^  -", QRegularExpression::MultilineOption);
            QCOMPARE(help.out.count(optionLine), m_accepted[verb].options.size() + 1);
        }
        m_offered = completionOffers();
    }

    void dispatchTableIsListed()
    {
        // Each row of the table main() dispatches on: {"name", "summary", declare, run}.
        const QString table = readSource("app/VerbTable.cpp");
        static const QRegularExpression row("^\\s*\\{\"([a-z][a-z-]*)\",",
                                            QRegularExpression::MultilineOption);
        QStringList dispatched;
        for (auto it = row.globalMatch(table); it.hasNext();)
            dispatched << it.next().captured(1);
        QVERIFY2(dispatched.size() > 10, "cannot read the verbs of app/VerbTable.cpp");
        for (const QString& verb : std::as_const(dispatched))
            QVERIFY2(m_verbs.contains(verb),
                     qPrintable("verb '" + verb +
                                "' is dispatched but `clade --help` does not "
                                "list it"));
        for (const QString& verb : std::as_const(m_verbs))
            QVERIFY2(dispatched.contains(verb), qPrintable("`clade --help` lists '" + verb +
                                                           "', which app/VerbTable.cpp "
                                                           "does not dispatch"));
    }

    void unknownVerbIsRefused()
    {
        const Output o = clade({"no-such-verb", "--help"});
        QCOMPARE(o.exitCode, 2);
        QVERIFY2(o.err.contains("unknown verb 'no-such-verb'"), qPrintable(o.err));
    }

    void optionsAreDocumented_data()
    {
        QTest::addColumn<QString>("verb");
        for (const QString& verb : std::as_const(m_verbs))
            QTest::newRow(qPrintable(verb)) << verb;
    }

    void optionsAreDocumented()
    {
        QFETCH(QString, verb);
        const Accepted& accepted = m_accepted[verb];
        const QString usage = usageSynopsis(verb);
        const QString man = m_manSections[verb];
        QStringList missing;
        if (man.isEmpty())
            missing << "the man page has no section for `clade " + verb + "`";
        if (!readmeVerbs().contains(verb))
            missing << "README.md never mentions `clade " + verb + "`";
        for (const QString& name : accepted.options) {
            const QString option = "clade " + verb + " --" + name;
            if (!mentionsOption(usage, name))
                missing << option + ": missing from `clade --help`";
            if (!mentionsOption(man, name))
                missing << option + ": missing from the man page (`clade help --man`)";
            if (!m_offered[verb].contains("--" + name))
                missing << option + ": missing from the bash completion";
            if (!mentionsOption(m_readme, name))
                missing << option + ": missing from README.md";
        }
        for (const QString& positional : accepted.positionals) {
            if (!mentionsWord(usage, positional))
                missing << "clade " + verb + " " + positional + ": missing from `clade --help`";
            if (!mentionsWord(man, positional))
                missing << "clade " + verb + " " + positional + ": missing from the man page";
        }
        QVERIFY2(missing.isEmpty(), qPrintable("\n  " + missing.join("\n  ")));
    }

    void documentedOptionsAreAccepted_data() { optionsAreDocumented_data(); }

    // The other way round: an option shown under a verb that its parser would refuse.
    void documentedOptionsAreAccepted()
    {
        QFETCH(QString, verb);
        static const QRegularExpression option(R"((?:^|[\s\[])--([a-z0-9][a-z0-9-]*))");
        QStringList extra;
        for (auto it = option.globalMatch(usageSynopsis(verb)); it.hasNext();) {
            const QString name = it.next().captured(1);
            if (!m_accepted[verb].options.contains(name))
                extra << "--" + name + " (clade --help)";
        }
        for (const QString& offered : m_offered[verb])
            if (offered != "-h" && offered != "--help" &&
                !m_accepted[verb].options.contains(offered.mid(2)))
                extra << offered + " (bash completion)";
        QVERIFY2(extra.isEmpty(),
                 qPrintable("clade " + verb + " does not accept: " + extra.join(", ")));
    }

    // Where help shows an option's fixed values (`--strategy sica|hgm|...`), the man page
    // shows the same and the completion offers exactly them.
    void fixedValuesAgree_data() { optionsAreDocumented_data(); }

    void fixedValuesAgree()
    {
        QFETCH(QString, verb);
        for (const QString& name : std::as_const(m_accepted[verb].options)) {
            const QStringList values = shownChoices(m_usageSections[verb], name);
            if (values.isEmpty())
                continue;
            const QString what = "clade " + verb + " --" + name;
            const QStringList inMan = shownChoices(m_manSections[verb], name);
            QVERIFY2(inMan == values, qPrintable(what + ": help shows " + values.join('|') +
                                                 ", the man page " + inMan.join('|')));
            const QStringList offered = completeWords({"clade", verb, "--" + name, ""});
            QVERIFY2(QSet<QString>(offered.begin(), offered.end()) ==
                         QSet<QString>(values.begin(), values.end()),
                     qPrintable(what + ": help shows " + values.join('|') +
                                ", the completion offers " + offered.join(' ')));
        }
    }

    void helpVerbIsVerbHelp()
    {
        for (const QString& verb : std::as_const(m_verbs)) {
            const Output o = clade({"help", verb});
            QCOMPARE(o.exitCode, 0);
            QVERIFY2(
                o.out == m_verbHelp[verb],
                qPrintable("`clade help " + verb + "` differs from `clade " + verb + " --help`"));
        }
        const Output bare = clade({"help"});
        QCOMPARE(bare.exitCode, 0);
        QCOMPARE(bare.out, m_usage);
    }

    void completionWorks()
    {
        QCOMPARE(completeWords({"clade", "run", "--str"}), QStringList{"--strategy"});
        QVERIFY(completeWords({"clade", "run", "--strategy", ""}).contains("islands"));
        QCOMPARE(completeWords({"clade", "run", "--strategy=isl"}), QStringList{"islands"});
        QCOMPARE(completeWords({"clade", "run", "--proposer", "=", "l"}), QStringList{"llm"});
        QCOMPARE(completeWords({"clade", "exp"}), QStringList{"export"});
        QVERIFY(completeWords({"clade", "sandbox", "--", "ba"}).contains("bash"));
        const Output syntax = run("bash", {"-n"}, m_completion.toUtf8());
        QVERIFY2(syntax.exitCode == 0, qPrintable(syntax.err));
    }

    void manPageRendersWithoutWarnings()
    {
        const QString groff = QStandardPaths::findExecutable("groff");
        if (groff.isEmpty())
            QSKIP("groff is not installed");
        const Output o = run(groff, {"-man", "-Tutf8", "-ww", "-z"}, m_manRoff.toUtf8());
        QVERIFY2(o.exitCode == 0 && o.err.isEmpty(), qPrintable(o.err));
        for (const char* section : {"NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "EXIT STATUS",
                                    "ENVIRONMENT", "FILES", "SEE ALSO"})
            QVERIFY2(m_manRoff.contains(QString(".SH ") + section + "\n") ||
                         m_manRoff.contains(QString(".SH \"") + section + "\"\n"),
                     section);
    }

    // Every environment variable the code reads is explained in the man page.
    void environmentIsDocumented()
    {
        const int start = m_man.indexOf(".SH ENVIRONMENT");
        QVERIFY(start >= 0);
        const QString environment = m_man.mid(start, m_man.indexOf(".SH ", start + 1) - start);
        static const QRegularExpression read(
            "(?:getenv|qgetenv|qEnvironmentVariable\\w*)\\(\"([A-Za-z_][A-Za-z0-9_]*)\"\\)");
        QStringList missing;
        for (const char* layer : {"app", "engine", "models", "ui"}) {
            QDirIterator it(QStringLiteral(CLADE_SOURCE_DIR) + "/" + layer, {"*.cpp", "*.h"},
                            QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile f(it.next());
                QVERIFY(f.open(QIODevice::ReadOnly));
                const QString code = QString::fromUtf8(f.readAll());
                for (auto m = read.globalMatch(code); m.hasNext();) {
                    const QString var = m.next().captured(1);
                    if (!mentionsWord(environment, var) && !missing.contains(var))
                        missing << var + " (read in " +
                                       QDir(CLADE_SOURCE_DIR).relativeFilePath(it.filePath()) + ")";
                }
            }
        }
        QVERIFY2(missing.isEmpty(),
                 qPrintable("missing from the man page's ENVIRONMENT: " + missing.join(", ")));
    }

private:
    /// What `clade --help` says a verb takes: its synopsis (up to the two spaces before the
    /// summary, which may name other verbs' options) and the option lines under it.
    QString usageSynopsis(const QString& verb) const
    {
        const auto found = m_usageSections.find(verb);
        if (found == m_usageSections.end())
            return {};
        QStringList lines;
        for (const QString& line : found->second.split('\n')) {
            if (line.startsWith("  clade "))
                lines << line.mid(2).section("  ", 0, 0);
            else if (line.startsWith("      ["))
                lines << line;
        }
        return lines.join('\n');
    }

    /// Verbs README.md names as `clade VERB` or `clade VERB|OTHER`.
    QStringList readmeVerbs() const
    {
        static const QRegularExpression mention(R"(\bclade ((?:[a-z][a-z-]*\|)*[a-z][a-z-]*))");
        QStringList verbs;
        for (auto it = mention.globalMatch(m_readme); it.hasNext();)
            verbs << it.next().captured(1).split('|');
        return verbs;
    }

    /// What the completion offers for the words typed, the last being under the cursor.
    QStringList completeWords(const QStringList& words) const
    {
        QTemporaryDir dir;
        QFile script(dir.filePath("clade.bash"));
        if (!script.open(QIODevice::WriteOnly))
            return {"cannot write " + script.fileName()};
        script.write(m_completion.toUtf8());
        script.close();
        // Moc misreads raw strings with quotes in them, so this one is spelled out.
        const QString driver = "source \"$1\"; shift\n"
                               "COMP_WORDS=(\"$@\"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
                               "COMPREPLY=(); _clade\n"
                               "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        const Output o = run("bash", QStringList{"-c", driver, "bash", script.fileName()} + words);
        return o.out.split('\n', Qt::SkipEmptyParts);
    }

    /// For each verb, the options the completion offers after `clade VERB -`.
    std::map<QString, QStringList> completionOffers() const
    {
        std::map<QString, QStringList> offers;
        for (const QString& verb : m_verbs)
            offers[verb] = completeWords({"clade", verb, "-"});
        return offers;
    }

    QString m_usage;
    QString m_manRoff;
    QString m_man;
    QString m_completion;
    QString m_readme;
    QStringList m_verbs;
    std::map<QString, QString> m_usageSections;
    std::map<QString, QString> m_manSections;
    std::map<QString, QString> m_verbHelp;
    std::map<QString, Accepted> m_accepted;
    std::map<QString, QStringList> m_offered;
};

QTEST_GUILESS_MAIN(CliHelp)
#include "tst_cli_help.moc"
