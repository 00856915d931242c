// The evaluation contract: only the pinned harness's score phase decides the score. A
// candidate that fakes a score file, prints a fake result, or edits the harness gets the
// score its answers deserve, and a harness changed after pinning is refused.
#include "engine/eval/Evaluator.h"
#include "engine/eval/HarnessPin.h"
#include "engine/git/Repository.h"
#include "engine/sandbox/Sandbox.h"
#include "engine/util/AtomicFile.h"
#include "engine/util/InputError.h"
#include "engine/util/ScratchSpace.h"
#include "engine/util/Utf8Text.h"

#include "support/ToyHarness.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace clade::engine;
namespace fs = std::filesystem;

using namespace toy;

class TestEvaluator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        fs::permissions(root(), fs::perms(0755));
        fs::create_directories(root() / "harness");
        writeFileAtomically(root() / "harness" / "solve.py", kSolve);
        writeFileAtomically(root() / "harness" / "score.py", kScore);
        fs::create_directories(root() / "harness" / "hidden");
        writeFileAtomically(root() / "harness" / "hidden" / "expected.txt", "LEAKED t1=42\n");
        writeFileAtomically(root() / "harness" / "secret.txt", "LEAKED\n");
        writeFileAtomically(root() / "clade.json", R"({
  "name": "toy", "evolvable": ["answer.py"], "harness": "harness",
  "solve": {"command": ["/usr/bin/python3", "/harness/solve.py", "{tasks}"], "limits": {"wall_seconds": 20}},
  "score": {"command": ["/usr/bin/python3", "/harness/score.py", "{tasks}"], "limits": {"wall_seconds": 20}},
  "tasks": ["t1", "t2", "t3"]
})");
        writeFileAtomically(root() / "answer.py", kHonest);
        m_manifest = loadManifest(root());
        m_sandbox = makeSandbox("bwrap");
        m_scratch = std::make_unique<ScratchSpace>(sandboxUid(), sandboxGid());
        m_harness = m_scratch->root() / "harness";
        copyFolder(root() / "harness", m_harness);
        m_sha = hashFolder(m_harness);
        m_repo = std::make_unique<clade::git::Repository>(
            clade::git::Repository::initBare(root() / "repo.git"));
    }

    void scoresOnlyWhatTheHarnessSays_data()
    {
        QTest::addColumn<QString>("candidate");
        QTest::addColumn<double>("expected");
        QTest::newRow("honest: two of three right") << QString(kHonest) << 2.0 / 3.0;
        QTest::newRow("plants a score file and prints a fake result") << QString(kFakeScoreFile) << 0.0;
        QTest::newRow("tries to rewrite the harness") << QString(kEditsHarness) << 0.0;
    }
    void scoresOnlyWhatTheHarnessSays()
    {
        QFETCH(QString, candidate);
        QFETCH(double, expected);
        const auto outcome = evaluateCandidate(candidate.toStdString(), m_manifest);
        QCOMPARE(int(outcome.kind), int(EvaluationOutcome::Kind::Scored));
        double sum = 0;
        for (const auto& [task, score] : outcome.results)
            sum += score;
        QCOMPARE(outcome.results.size(), size_t(3));
        QVERIFY2(std::abs(sum / 3 - expected) < 1e-9, outcome.log.c_str());
        // The harness is unchanged after the candidate ran.
        QCOMPARE(hashFolder(m_harness), m_sha);
    }

    // harness_hidden: the solve phase sees an empty folder or file where the hidden tests
    // are; without it (the control) the same candidate reads them.
    void hidesHarnessPathsFromTheSolvePhase()
    {
        Manifest hiding = m_manifest;
        hiding.harnessHidden = {"hidden/", "secret.txt", "not-there/"};
        const auto hidden = evaluateCandidate(kReadsHidden, hiding);
        QCOMPARE(int(hidden.kind), int(EvaluationOutcome::Kind::Scored));
        QCOMPARE(hidden.results.at("t1"), 1.0);
        QCOMPARE(hidden.results.at("t2"), 1.0);
        QCOMPARE(hidden.results.at("t3"), 1.0);
        const auto visible = evaluateCandidate(kReadsHidden, m_manifest);
        QCOMPARE(visible.results.at("t1"), 0.0);
        QCOMPARE(visible.results.at("t2"), 0.0);
        QCOMPARE(visible.results.at("t3"), 1.0);
    }

    void batchesAndCrashingSolve()
    {
        Manifest batched = m_manifest;
        batched.batchSize = 1;
        const auto outcome = evaluateCandidate(kCrashes, batched);
        QCOMPARE(int(outcome.kind), int(EvaluationOutcome::Kind::Scored));
        QCOMPARE(outcome.results.at("t1"), 1.0);
        QCOMPARE(outcome.results.at("t2"), 0.0); // the crash scores 0, it does not stop the node
        QVERIFY2(QString::fromStdString(outcome.error).contains("solve phase"), outcome.error.c_str());
        QVERIFY(outcome.log.find("boom") != std::string::npos);
        // Each batch reports one file (solve opens it before answer() raises): the mean over
        // batches weighted by their size stays 1.
        QCOMPARE(outcome.metrics.values.at("answered"), 1.0);
        QCOMPARE(outcome.metrics.tasks, outcome.results.size());
        // The engine's own measurements, summed over both batches.
        for (const char* measured : {"clade.solve_seconds", "clade.score_seconds",
                                     "clade.solve_cpu_seconds", "clade.solve_peak_memory_mb"})
            QVERIFY2(outcome.metrics.values.count(measured) == 1, measured);
        QVERIFY(outcome.metrics.values.at("clade.solve_peak_memory_mb") > 0);
    }

    // A score phase that fails: its error ends with the tail of what it printed on stderr,
    // 400 bytes that start inside a ’ and end with a byte that is not UTF-8. The error is
    // stored and shown as text: whole characters, the bad byte as U+FFFD.
    void failedScoreQuotesWholeCharacters()
    {
        Manifest failing = m_manifest;
        failing.score.argv = {"/usr/bin/python3", "-c",
                              "import sys; sys.stderr.buffer.write('\u2019'.encode() * 200 + b'\\xffx'); sys.exit(3)"};
        const auto outcome = evaluateCandidate(kHonest, failing);
        QCOMPARE(int(outcome.kind), int(EvaluationOutcome::Kind::CandidateFailed));
        QVERIFY2(isValidUtf8(outcome.error), outcome.error.c_str());
        QVERIFY2(outcome.error.ends_with("’’’\xEF\xBF\xBDx"), outcome.error.c_str());
    }

    // The solve phase's scratch folders have its limits.scratch_mb: a 2 MB tmpfs (root), or
    // held to 2 MB by the sandbox's disk watchdog.
    void scratchFoldersHaveThePhaseLimits()
    {
        Manifest limited = m_manifest;
        limited.solve.limits.scratchMb = 2;
        const auto outcome = evaluateCandidate(kFillsOutput, limited);
        QCOMPARE(int(outcome.kind), int(EvaluationOutcome::Kind::Scored));
        const QString error = QString::fromStdString(outcome.error);
        if (m_scratch->limitsFolders()) {
            QVERIFY2(outcome.log.find("No space left on device") != std::string::npos,
                     outcome.log.c_str());
            QVERIFY2(error.startsWith("solve phase exit 1"), qPrintable(error));
        } else {
            QVERIFY2(error.startsWith("solve phase ") &&
                         error.contains("disk limit 2 MB in /output"),
                     qPrintable(error));
        }
    }

    void refusesAChangedHarness()
    {
        const fs::path tampered = m_scratch->root() / "tampered";
        copyFolder(root() / "harness", tampered);
        writeFileAtomically(tampered / "score.py", std::string(kScore) + "\n# changed\n");
        Evaluator evaluator(m_manifest, *m_sandbox, *m_scratch, tampered, m_sha);
        const auto commit = m_repo->commitDirectory(root(), {}, "x", {"harness/", "repo.git/"});
        evaluator.setHarnessSource("/agents/toy/harness");
        const auto outcome = evaluator.evaluate(*m_repo, commit, {"t1"});
        QCOMPARE(int(outcome.kind), int(EvaluationOutcome::Kind::HarnessBroken));
        QVERIFY(outcome.results.empty());
        QVERIFY2(QString::fromStdString(outcome.error).contains("harness changed"), outcome.error.c_str());
        QVERIFY(outcome.log.find("harness broke its contract") != std::string::npos);
    }

    void namesTheHarnessWhenItsOutputIsNotTheContract()
    {
        const fs::path broken = m_scratch->root() / "broken";
        copyFolder(root() / "harness", broken);
        writeFileAtomically(broken / "score.py", "print('{\"tasks\": {\"t1\": NaN}}')\n");
        Evaluator evaluator(m_manifest, *m_sandbox, *m_scratch, broken, hashFolder(broken));
        evaluator.setHarnessSource("/agents/toy/harness");
        const auto commit = m_repo->commitDirectory(root(), {}, "x", {"harness/", "repo.git/"});
        const auto outcome = evaluator.evaluate(*m_repo, commit, {"t1"});
        QCOMPARE(int(outcome.kind), int(EvaluationOutcome::Kind::HarnessBroken));
        const QString error = QString::fromStdString(outcome.error);
        QVERIFY2(error.startsWith("/agents/toy/harness (score command"), qPrintable(error));
        QVERIFY2(error.contains("NaN"), qPrintable(error));
    }

    void helpers()
    {
        QCOMPARE(makeBatches({"a", "b", "c"}, 0).size(), size_t(1));
        QCOMPARE(makeBatches({"a", "b", "c"}, 2).size(), size_t(2));
        QCOMPARE(makeBatches({"a", "b", "c"}, 2)[1], (std::vector<std::string>{"c"}));
        QCOMPARE(expandCommand({"x", "--tasks={tasks}", "{tasks}"}, {"a", "b"}),
                 (std::vector<std::string>{"x", "--tasks=a,b", "a,b"}));
    }

private:
    EvaluationOutcome evaluateCandidate(const std::string& code, const Manifest& manifest)
    {
        writeFileAtomically(root() / "answer.py", code);
        const auto commit = m_repo->commitDirectory(root(), {}, "candidate", {"harness/", "repo.git/"});
        Evaluator evaluator(manifest, *m_sandbox, *m_scratch, m_harness, m_sha);
        return evaluator.evaluate(*m_repo, commit, manifest.tasks);
    }
    fs::path root() const { return m_dir.path().toStdString(); }

    QTemporaryDir m_dir;
    Manifest m_manifest;
    std::unique_ptr<Sandbox> m_sandbox;
    std::unique_ptr<ScratchSpace> m_scratch;
    std::unique_ptr<clade::git::Repository> m_repo;
    fs::path m_harness;
    std::string m_sha;
};

QTEST_GUILESS_MAIN(TestEvaluator)
#include "tst_evaluator.moc"
