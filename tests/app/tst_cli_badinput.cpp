// Bad input given to the real `clade` binary: every case exits with status 2, the message
// names the file and the field or what was expected, and nothing is left written half-way
// (no run folder, no staging folder, untouched user files).
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <functional>
#include <memory>

namespace {

constexpr int kTimeoutMs = 120000;
constexpr int kBadInput = 2;
constexpr int kInterrupted = 130;

struct CladeResult {
    bool finished = false;
    int exitCode = -1;
    QString out;
    QString err;
    qint64 ms = 0;

    QByteArray describe() const
    {
        return ("exit " + QString::number(exitCode) + (finished ? "" : " (timed out)") + " after " +
                QString::number(ms) + " ms\n--- stderr\n" + err + "--- stdout\n" + out)
            .toLocal8Bit();
    }
};

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

bool copyTree(const QString& from, const QString& to)
{
    if (!QDir().mkpath(to))
        return false;
    QDirIterator it(from, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString rel = QDir(from).relativeFilePath(path);
        if (rel.contains("__pycache__") || rel.endsWith(".pyc"))
            continue;
        const QString target = to + "/" + rel;
        const bool ok = it.fileInfo().isDir()
                            ? QDir().mkpath(target)
                            : QDir().mkpath(QFileInfo(target).path()) && QFile::copy(path, target);
        if (!ok)
            return false;
    }
    return true;
}

/// Every file and folder under dir with its contents: what "untouched" is compared by.
QMap<QString, QByteArray> snapshot(const QString& dir)
{
    QMap<QString, QByteArray> files;
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        files[QDir(dir).relativeFilePath(path)] =
            it.fileInfo().isDir() ? QByteArray("<folder>") : readFile(path);
    }
    return files;
}

/// createRun stages into "<parent>/.<name>.partial-<pid>" and renames; none may remain.
QStringList stagingLeftIn(const QString& parent)
{
    return QDir(parent)
        .entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot)
        .filter(".partial");
}

bool editManifest(const QString& agent, const std::function<void(QJsonObject&)>& edit)
{
    const QString file = agent + "/clade.json";
    QJsonObject manifest = QJsonDocument::fromJson(readFile(file)).object();
    if (manifest.isEmpty())
        return false;
    edit(manifest);
    return writeFile(file, QJsonDocument(manifest).toJson());
}

int lockPid(const QString& run)
{
    return readFile(run + "/owner.lock").trimmed().toInt();
}

using SqliteHandle = std::unique_ptr<sqlite3, decltype(&sqlite3_close)>;

SqliteHandle openDatabase(const QString& file, int flags)
{
    sqlite3* db = nullptr;
    sqlite3_open_v2(file.toUtf8().constData(), &db, flags, nullptr);
    return SqliteHandle(db, &sqlite3_close);
}

bool setUserVersion(const QString& file, int version)
{
    const auto db = openDatabase(file, SQLITE_OPEN_READWRITE);
    const QByteArray sql = "PRAGMA user_version=" + QByteArray::number(version);
    return db && sqlite3_exec(db.get(), sql.constData(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

int userVersion(const QString& file)
{
    const auto db = openDatabase(file, SQLITE_OPEN_READONLY);
    sqlite3_stmt* statement = nullptr;
    if (!db ||
        sqlite3_prepare_v2(db.get(), "PRAGMA user_version", -1, &statement, nullptr) != SQLITE_OK)
        return -1;
    const int version =
        sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int(statement, 0) : -1;
    sqlite3_finalize(statement);
    return version;
}

} // namespace

class TestCliBadInput : public QObject {
    Q_OBJECT

public:
    enum class Breakage {
        NoAgentFolder,
        SyntaxError,
        NoSolve,
        NoHarness,
        ProposeFails,
        ProposeHangs,
        ScoreNotJson,
        ScoreNaN,
    };
    Q_ENUM(Breakage)

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(CLADE_BINARY).isExecutable(), CLADE_BINARY " is not built");
        QVERIFY(m_dir.isValid());
        // Sandboxed code runs as another user when the tests run as root; keep it readable.
        QVERIFY(QFile::setPermissions(m_dir.path(), QFile::ReadOwner | QFile::WriteOwner |
                                                        QFile::ExeOwner | QFile::ReadGroup |
                                                        QFile::ExeGroup | QFile::ReadOther |
                                                        QFile::ExeOther));
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert("XDG_DATA_HOME", m_dir.filePath("xdg"));
        m_env.remove("DISPLAY");
        m_env.remove("WAYLAND_DISPLAY");
        m_agent = m_dir.filePath("agent");
        QVERIFY(copyTree(exampleDir(), m_agent));
        m_run = m_dir.filePath("finished-run");
        QVERIFY(makeRun(m_run));
    }

    void badAgent_data()
    {
        QTest::addColumn<Breakage>("breakage");
        QTest::addColumn<QStringList>("expected"); // in stderr; %AGENT% is the agent folder
        QTest::addColumn<bool>("keepsRun");        // the root was committed and evaluated
        QTest::addColumn<QString>("logExpected");  // in the propose.log the message names

        const QString solveLine =
            QString::number(lineOf(exampleDir() + "/clade.json", "\"solve\": {"));
        QTest::newRow("missing agent folder")
            << Breakage::NoAgentFolder << QStringList{"%AGENT%:", "no such agent folder"} << false
            << QString();
        QTest::newRow("malformed clade.json")
            << Breakage::SyntaxError
            << QStringList{"%AGENT%/clade.json: line " + solveLine, "expected valid JSON"} << false
            << QString();
        QTest::newRow("clade.json without solve")
            << Breakage::NoSolve
            << QStringList{"%AGENT%/clade.json: field 'solve'", "expected", "missing"} << false
            << QString();
        QTest::newRow("missing harness folder")
            << Breakage::NoHarness
            << QStringList{"%AGENT%/clade.json: field 'harness'", "%AGENT%/harness",
                           "does not exist"}
            << false << QString();
        QTest::newRow("propose command fails")
            << Breakage::ProposeFails
            << QStringList{"field 'propose.command'", "failed 5 times in a row",
                           "propose command exit 1", "propose.log"}
            << true << QString("exit 1");
        QTest::newRow("propose command times out")
            << Breakage::ProposeHangs
            << QStringList{"field 'propose.command'", "failed 5 times in a row",
                           "wall-clock limit 1 s", "propose.log"}
            << true << QString("wall-clock limit");
        QTest::newRow("score prints invalid JSON")
            << Breakage::ScoreNotJson
            << QStringList{"%AGENT%/harness (score command", "score phase output", "not valid JSON", "'not json"} << false
            << QString();
        QTest::newRow("score prints NaN")
            << Breakage::ScoreNaN << QStringList{"%AGENT%/harness (score command", "score phase output", "NaN"} << false
            << QString();
    }

    void badAgent()
    {
        QFETCH(Breakage, breakage);
        QFETCH(QStringList, expected);
        QFETCH(bool, keepsRun);
        QFETCH(QString, logExpected);

        const QString caseDir = m_dir.filePath("case-" + QString::number(++m_cases));
        const QString agent = caseDir + "/agent";
        const QString runs = caseDir + "/runs";
        const QString out = runs + "/R";
        QVERIFY(copyTree(exampleDir(), agent));
        QVERIFY(QDir().mkpath(runs));
        QVERIFY(breakAgent(breakage, agent));

        const auto r = clade({"run", agent, "--out", out, "--iterations", "10", "--headless"});
        QVERIFY2(r.finished && r.exitCode == kBadInput, r.describe());
        for (QString text : expected)
            QVERIFY2(r.err.contains(text.replace("%AGENT%", agent)),
                     qPrintable("stderr lacks '" + text + "':\n" + r.describe()));
        // The timed-out propose command is killed after its 1 s limit, not its 100 s sleep.
        QVERIFY2(r.ms < 60000, r.describe());
        QVERIFY2(stagingLeftIn(runs).isEmpty(), qPrintable(stagingLeftIn(runs).join(", ")));

        if (!keepsRun) {
            // A run whose root cannot be evaluated is removed again: nothing half-made.
            QVERIFY2(!QFileInfo::exists(out), qPrintable(out + " exists after exit 2"));
            const bool rootWasEvaluated =
                breakage == Breakage::ScoreNotJson || breakage == Breakage::ScoreNaN;
            if (rootWasEvaluated) // the run existed for a moment, then was removed
                QVERIFY2(r.err.contains("removed the new run folder"), r.describe());
            return;
        }

        QVERIFY2(r.err.contains(agent + "/clade.json"), r.describe());

        static const QRegularExpression logPath(R"(see (\S+/propose\.log))");
        const auto match = logPath.match(r.err);
        QVERIFY2(match.hasMatch(), r.describe());
        QVERIFY2(match.captured(1).startsWith(out + "/artifacts/"), r.describe());
        QVERIFY2(readFile(match.captured(1)).contains(logExpected.toUtf8()),
                 readFile(match.captured(1)).constData());

        // Nothing committed is lost: the run opens and its root keeps its evaluation.
        const auto status = clade({"status", out, "--json"});
        QVERIFY2(status.finished && status.exitCode == 0, status.describe());
        const auto json = QJsonDocument::fromJson(status.out.toUtf8());
        QVERIFY2(json["root"]["score"].isDouble(), status.describe());
        QVERIFY2(json["counts"]["evaluated"].toInt() >= 1, status.describe());
        QCOMPARE(json["counts"]["evaluating"].toInt(-1), 0);
        QCOMPARE(json["running"].toBool(true), false);
    }

    void badUsage_data()
    {
        QTest::addColumn<QStringList>("args"); // %RUN% a finished run, %TMP% the temp dir
        QTest::addColumn<QString>("workdir");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<QString>("mustNotExist");

        const QString src = CLADE_SOURCE_DIR;
        QTest::newRow("no verb") << QStringList{} << QString() << QStringList{"usage: clade [VERB"}
                                 << QString();
        QTest::newRow("unknown verb")
            << QStringList{"frobnicate", "%RUN%"} << QString()
            << QStringList{"unknown verb 'frobnicate'", "usage: clade [VERB"} << QString();
        QTest::newRow("status of a missing folder")
            << QStringList{"status", "%TMP%/no-such-run"} << QString()
            << QStringList{"%TMP%/no-such-run: no such run folder"} << "%TMP%/no-such-run";
        QTest::newRow("resume of a missing folder")
            << QStringList{"resume", "%TMP%/no-such-run", "--headless"} << QString()
            << QStringList{"%TMP%/no-such-run: no such run folder"} << "%TMP%/no-such-run";
        QTest::newRow("status of an agent folder")
            << QStringList{"status", src + "/examples/binpack"} << QString()
            << QStringList{src + "/examples/binpack", "not a clade run folder", "run.json"}
            << src + "/examples/binpack/clade.db";
        QTest::newRow("show of a missing node")
            << QStringList{"show", "%RUN%", "999"} << QString()
            << QStringList{"%RUN%: no node '999'", "expected a node id from 0 to 0"} << QString();
        QTest::newRow("show of a non-numeric node")
            << QStringList{"show", "%RUN%", "best"} << QString()
            << QStringList{"%RUN%: no node 'best'"} << QString();
        QTest::newRow("iterations not a number")
            << QStringList{"run", "examples/binpack", "--iterations", "abc", "--headless"} << src
            << QStringList{"--iterations", "expected a whole number", "'abc'"} << "%TMP%/xdg/clade";
        QTest::newRow("negative workers")
            << QStringList{"run",   "%TMP%/agent",     "--workers", "-3",
                           "--out", "%TMP%/usage-run", "--headless"}
            << QString() << QStringList{"--workers", "expected a whole number", "'-3'"}
            << "%TMP%/usage-run";
        // Issue 17: QUrl takes an empty port as port 80; the run must not start.
        QTest::newRow("llm base URL with an empty port")
            << QStringList{"run",
                           "%TMP%/agent",
                           "--proposer",
                           "llm",
                           "--llm-model",
                           "m",
                           "--llm-base-url",
                           "http://127.0.0.1:/v1",
                           "--out",
                           "%TMP%/url-run-1",
                           "--headless"}
            << QString()
            << QStringList{"--llm-base-url: expected a port number after ':'",
                           "got 'http://127.0.0.1:/v1'"}
            << "%TMP%/url-run-1";
        QTest::newRow("llm base URL without a scheme")
            << QStringList{"run",
                           "%TMP%/agent",
                           "--proposer",
                           "llm",
                           "--llm-model",
                           "m",
                           "--llm-base-url",
                           "localhost:8080/v1",
                           "--out",
                           "%TMP%/url-run-2",
                           "--headless"}
            << QString()
            << QStringList{"--llm-base-url: expected a URL that starts with http:// or https://",
                           "got 'localhost:8080/v1'"}
            << "%TMP%/url-run-2";
        QTest::newRow("run without agent")
            << QStringList{"run", "--out", "%TMP%/usage-run", "--headless"} << QString()
            << QStringList{"missing AGENT"} << "%TMP%/usage-run";
        QTest::newRow("unknown option") << QStringList{"status", "%RUN%", "--bogus"} << QString()
                                        << QStringList{"bogus", "clade status --help"} << QString();
    }

    void badUsage()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, workdir);
        QFETCH(QStringList, expected);
        QFETCH(QString, mustNotExist);

        for (QString& arg : args)
            arg = expand(arg);
        const auto r = clade(args, workdir);
        QVERIFY2(r.finished && r.exitCode == kBadInput, r.describe());
        for (const QString& text : expected)
            QVERIFY2(r.err.contains(expand(text)),
                     qPrintable("stderr lacks '" + expand(text) + "':\n" + r.describe()));
        if (!mustNotExist.isEmpty())
            QVERIFY2(!QFileInfo::exists(expand(mustNotExist)), qPrintable(expand(mustNotExist)));
        QVERIFY(stagingLeftIn(m_dir.path()).isEmpty());
    }

    void outFolderNotEmpty()
    {
        const QString occupied = m_dir.filePath("occupied");
        QVERIFY(QDir().mkpath(occupied + "/notes"));
        QVERIFY(writeFile(occupied + "/keep.txt", "precious\n"));
        QVERIFY(writeFile(occupied + "/notes/a.md", "# mine\n"));
        const auto before = snapshot(occupied);

        const auto r = clade({"run", m_agent, "--out", occupied, "--headless"});
        QVERIFY2(r.finished && r.exitCode == kBadInput, r.describe());
        QVERIFY2(r.err.contains(occupied + ": already exists"), r.describe());
        QVERIFY2(r.err.contains("expected a new or empty folder"), r.describe());
        QCOMPARE(snapshot(occupied), before);
        QVERIFY(stagingLeftIn(m_dir.path()).isEmpty());
    }

    void runOwnedByLiveProcess()
    {
        const QString run = m_dir.filePath("owned-run");
        QVERIFY(makeRun(run));

        QProcess owner;
        owner.setProcessEnvironment(m_env);
        owner.setStandardOutputFile(m_dir.filePath("owner.stdout"));
        owner.setStandardErrorFile(m_dir.filePath("owner.stderr"));
        owner.start(CLADE_BINARY, {"resume", run, "--iterations", "200", "--headless"});
        QVERIFY(owner.waitForStarted());
        auto stopOwner = qScopeGuard([&owner] {
            if (owner.state() == QProcess::NotRunning)
                return;
            owner.terminate();
            if (!owner.waitForFinished(30000)) {
                owner.kill();
                owner.waitForFinished();
            }
        });
        const int pid = int(owner.processId());
        QTRY_VERIFY_WITH_TIMEOUT(lockPid(run) == pid || owner.state() == QProcess::NotRunning,
                                 30000);
        QVERIFY2(lockPid(run) == pid, readFile(m_dir.filePath("owner.stderr")).constData());

        const auto r = clade({"resume", run, "--headless"});
        QVERIFY2(r.finished && r.exitCode == kBadInput, r.describe());
        QVERIFY2(r.err.contains(run + ": run folder is owned by another live process"),
                 r.describe());
        QVERIFY2(r.err.contains("(pid " + QString::number(pid) + ")"), r.describe());
        QCOMPARE(lockPid(run), pid); // the refused resume did not take the lock over

        // SIGTERM stops the owner cleanly (130), or it had already finished its budget (0).
        owner.terminate();
        QVERIFY(owner.waitForFinished(60000));
        QCOMPARE(owner.exitStatus(), QProcess::NormalExit);
        QVERIFY2(owner.exitCode() == kInterrupted || owner.exitCode() == 0,
                 readFile(m_dir.filePath("owner.stderr")).constData());

        const auto status = clade({"status", run, "--json"});
        QVERIFY2(status.finished && status.exitCode == 0, status.describe());
        const auto json = QJsonDocument::fromJson(status.out.toUtf8());
        QCOMPARE(json["running"].toBool(true), false);
        QCOMPARE(json["counts"]["evaluating"].toInt(-1), 0);
    }

    void newerFormatRefused_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("clade.db user_version 99") << "clade.db";
        QTest::newRow("run.json version 99") << "run.json";
    }

    void newerFormatRefused()
    {
        QFETCH(QString, file);
        const QString run = m_dir.filePath("newer-" + file);
        QVERIFY(makeRun(run));
        if (file == "clade.db") {
            QVERIFY(setUserVersion(run + "/clade.db", 99));
        } else {
            QJsonObject config = QJsonDocument::fromJson(readFile(run + "/run.json")).object();
            QVERIFY(config.contains("version"));
            config["version"] = 99;
            QVERIFY(writeFile(run + "/run.json", QJsonDocument(config).toJson()));
        }
        const QByteArray runJson = readFile(run + "/run.json");

        QList<QStringList> commands{
            {"status", run},
            {"status", run, "--json"},
            {"show", run, "0"},
            {"resume", run, "--headless"},
            {"resume", run, "--iterations", "7", "--headless"},
        };
        if (file == "clade.db")
            commands << QStringList{"audit", run}; // it reads the store alone, not run.json
        for (const QStringList& args : commands) {
            const auto r = clade(args);
            QVERIFY2(r.finished && r.exitCode == kBadInput,
                     qPrintable(args.join(' ') + ": " + r.describe()));
            QVERIFY2(r.err.contains(run + "/" + file + ":") && r.err.contains("version 99") &&
                         r.err.contains("is newer than this build"),
                     qPrintable(args.join(' ') + ": " + r.describe()));
        }
        QCOMPARE(readFile(run + "/run.json"), runJson);
        if (file == "clade.db")
            QCOMPARE(userVersion(run + "/clade.db"), 99);
    }

private:
    static QString exampleDir() { return QStringLiteral(CLADE_SOURCE_DIR "/examples/binpack"); }

    static int lineOf(const QString& file, const QByteArray& needle)
    {
        const QByteArray text = readFile(file);
        const int at = int(text.indexOf(needle));
        return at < 0 ? -1 : int(text.left(at).count('\n')) + 1;
    }

    QString expand(QString text) const
    {
        return text.replace("%RUN%", m_run).replace("%TMP%", m_dir.path());
    }

    CladeResult clade(const QStringList& args, const QString& workdir = {}) const
    {
        QProcess p;
        p.setProcessEnvironment(m_env);
        p.setWorkingDirectory(workdir.isEmpty() ? m_dir.path() : workdir);
        QElapsedTimer timer;
        timer.start();
        p.start(CLADE_BINARY, args);
        CladeResult r;
        r.finished = p.waitForStarted() && p.waitForFinished(kTimeoutMs);
        if (!r.finished) {
            p.kill();
            p.waitForFinished();
        }
        r.ms = timer.elapsed();
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

    /// A finished run of the intact agent with only its root evaluated.
    bool makeRun(const QString& out) const
    {
        const auto r = clade({"run", m_agent, "--iterations", "0", "--out", out, "--headless"});
        if (!r.finished || r.exitCode != 0)
            qWarning("clade run failed: %s", r.describe().constData());
        return r.finished && r.exitCode == 0;
    }

    static bool breakAgent(Breakage how, const QString& agent)
    {
        switch (how) {
        case Breakage::NoAgentFolder:
            return QDir(agent).removeRecursively();
        case Breakage::SyntaxError: {
            QByteArray text = readFile(agent + "/clade.json");
            const QByteArray broken = text.replace("\"solve\": {", "\"solve\": {,");
            return broken.contains("{,") && writeFile(agent + "/clade.json", broken);
        }
        case Breakage::NoSolve:
            return editManifest(agent, [](QJsonObject& m) { m.remove("solve"); });
        case Breakage::NoHarness:
            return QDir(agent + "/harness").removeRecursively();
        case Breakage::ProposeFails:
            return writeFile(agent + "/propose.py", "import sys\nsys.exit(1)\n");
        case Breakage::ProposeHangs:
            return writeFile(agent + "/propose.py", "import time\ntime.sleep(100)\n") &&
                   editManifest(agent, [](QJsonObject& m) {
                       QJsonObject propose = m["propose"].toObject();
                       QJsonObject limits = propose["limits"].toObject();
                       limits["wall_seconds"] = 1;
                       propose["limits"] = limits;
                       m["propose"] = propose;
                   });
        case Breakage::ScoreNotJson:
            return writeFile(agent + "/harness/score.py", "print('not json')\n");
        case Breakage::ScoreNaN: {
            // Every task of the manifest gets NaN, so only the NaN itself is wrong.
            const auto tasks =
                QJsonDocument::fromJson(readFile(agent + "/clade.json"))["tasks"].toArray();
            QByteArrayList scores;
            for (const auto& task : tasks)
                scores << "\"" + task.toString().toUtf8() + "\": NaN";
            return !scores.isEmpty() &&
                   writeFile(agent + "/harness/score.py",
                             "print('{\"tasks\": {" + scores.join(", ") + "}}')\n");
        }
        }
        return false;
    }

    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
    QString m_agent; // an intact copy of the example
    QString m_run;   // a finished run of it, for read-only cases
    int m_cases = 0;
};

QTEST_GUILESS_MAIN(TestCliBadInput)
#include "tst_cli_badinput.moc"
