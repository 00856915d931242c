// The score phase's output contract: anything but finite numbers for exactly the asked
// tasks is the harness's fault and is reported, never guessed at.
#include "engine/eval/ScoreOutput.h"
#include "engine/util/InputError.h"

#include <QtTest>

using namespace clade::engine;

class TestScoreOutput : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void valid()
    {
        const auto out = parseScoreOutput(
            R"({"tasks": {"a": 0.5, "b": 1}, "metrics": {"bins": 12.5}})" "\n", {"a", "b"}, "h");
        QCOMPARE(out.tasks.at("a"), 0.5);
        QCOMPARE(out.tasks.at("b"), 1.0);
        QCOMPARE(out.metrics.at("bins"), 12.5);
        QVERIFY(parseScoreOutput(R"({"tasks": {"a": 0}})", {"a"}, "h").metrics.empty());
    }

    void invalid_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << "" << "is empty";
        QTest::newRow("not json") << "score: 1" << "not valid JSON";
        QTest::newRow("NaN") << R"({"tasks": {"a": NaN, "b": 1}})" << "NaN";
        QTest::newRow("Infinity") << R"({"tasks": {"a": Infinity, "b": 1}})" << "NaN or Infinity";
        QTest::newRow("no tasks object") << R"({"score": 1})" << "no \"tasks\" object";
        QTest::newRow("array") << "[1, 2]" << "no \"tasks\" object";
        QTest::newRow("missing task") << R"({"tasks": {"a": 1}})" << "no score for task 'b'";
        QTest::newRow("unexpected task") << R"({"tasks": {"a": 1, "b": 1, "c": 1}})"
                                         << "task 'c', which was not asked for";
        QTest::newRow("string score") << R"({"tasks": {"a": "1", "b": 1}})" << "non-number at tasks.a";
        QTest::newRow("null score") << R"({"tasks": {"a": null, "b": 1}})" << "non-number at tasks.a";
        QTest::newRow("bad metric") << R"({"tasks": {"a": 1, "b": 1}, "metrics": {"m": "x"}})"
                                    << "non-number at metrics.m";
        QTest::newRow("two objects") << R"({"tasks": {"a": 1, "b": 1}} {"tasks": {}})"
                                     << "not valid JSON";
    }
    void invalid()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        try {
            parseScoreOutput(text.toStdString(), {"a", "b"}, "/run/harness/ (score command)");
            QFAIL("no error");
        } catch (const InputError& e) {
            const QString message = e.what();
            QVERIFY2(message.contains(expected), qPrintable(message));
            QVERIFY2(message.startsWith("/run/harness/ (score command)"), qPrintable(message));
            QVERIFY2(message.contains("expected one JSON object"), qPrintable(message));
        }
    }
};

QTEST_GUILESS_MAIN(TestScoreOutput)
#include "tst_scoreoutput.moc"
