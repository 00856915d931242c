// A model's answer applied to an agent's files: SEARCH/REPLACE blocks, unified diffs and
// whole files, as models really write them (misquoted whitespace, wrong hunk numbers, paths in
// every markdown dress), errors precise enough to send back to the model, and the
// description each answer gives its node.
#include "engine/propose/AnswerDescription.h"
#include "engine/propose/AnswerEdits.h"
#include "engine/util/Utf8Text.h"
#include "support/DescribedAnswers.h"
#include "support/EditAnswers.h"
#include "support/NonAsciiCorpus.h"

#include <QtTest>

using namespace clade::engine;
namespace answers = testsupport::editanswers;
namespace described = testsupport::describedanswers;
namespace corpus = testsupport::corpus;

Q_DECLARE_METATYPE(clade::engine::FileSet)
Q_DECLARE_METATYPE(clade::engine::EditFormat)

namespace {

FileSet agentFiles()
{
    return {{"heuristic.py", answers::kHeuristic}, {"util.py", answers::kUtil}};
}

// `text` with its one occurrence of `from` replaced by `to`: the expected file after an edit.
std::string edited(const std::string& text, const std::string& from, const std::string& to)
{
    const std::size_t at = text.find(from);
    if (at == std::string::npos || text.find(from, at + 1) != std::string::npos)
        qFatal("test data: the text to replace must stand exactly once: %s", from.c_str());
    return text.substr(0, at) + to + text.substr(at + from.size());
}

FileSet with(FileSet files, const std::string& path, const std::string& content)
{
    files[path] = content;
    return files;
}

QString crlf(const char* answer)
{
    return QString::fromUtf8(answer).replace("\n", "\r\n");
}

QStringList toList(const std::vector<std::string>& paths)
{
    QStringList list;
    for (const auto& path : paths)
        list << QString::fromStdString(path);
    return list;
}

void compareFiles(const FileSet& actual, const FileSet& expected)
{
    QStringList actualPaths;
    QStringList expectedPaths;
    for (const auto& [path, content] : actual)
        actualPaths << QString::fromStdString(path);
    for (const auto& [path, content] : expected)
        expectedPaths << QString::fromStdString(path);
    QCOMPARE(actualPaths, expectedPaths);
    for (const auto& [path, content] : expected)
        QCOMPARE(QString::fromStdString(actual.at(path)), QString::fromStdString(content));
}

} // namespace

class TestAnswerEdits : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void applies_data()
    {
        QTest::addColumn<QString>("answer");
        QTest::addColumn<QString>("defaultPath");
        QTest::addColumn<EditFormat>("format");
        QTest::addColumn<FileSet>("expected");
        QTest::addColumn<QStringList>("changed");

        const FileSet files = agentFiles();
        const std::string heuristic = answers::kHeuristic;
        const std::string util = answers::kUtil;
        const auto sr = EditFormat::SearchReplace;
        const auto diff = EditFormat::UnifiedDiff;
        const auto whole = EditFormat::WholeFiles;
        const QStringList justHeuristic{"heuristic.py"};
        const QStringList justUtil{"util.py"};
        const QStringList both{"heuristic.py", "util.py"};

        const FileSet returnsFirst =
            with(files, "heuristic.py",
                 edited(heuristic, "            best = b\n            break\n",
                        "            return b\n"));
        QTest::newRow("search-replace, one file")
            << QString(answers::kSrOneFile) << "" << sr << returnsFirst << justHeuristic;
        QTest::newRow("search-replace, CRLF answer")
            << crlf(answers::kSrOneFile) << "" << sr << returnsFirst << justHeuristic;
        QTest::newRow("search-replace, two files")
            << QString(answers::kSrTwoFiles) << "" << sr
            << with(with(files, "heuristic.py",
                         edited(heuristic, "\"first-fit\"", "\"first-fit-v2\"")),
                    "util.py", answers::kUtilSwapped)
            << both;
        QTest::newRow("search-replace, blocks in order, first occurrence")
            << QString(answers::kSrInOrder) << "" << sr
            << with(files, "heuristic.py",
                    edited(heuristic, "    best = None\n    for b", "    best = list()\n    for b"))
            << justHeuristic;
        QTest::newRow("search-replace, path inside the fence")
            << QString(answers::kSrPathInsideFence) << "" << sr
            << with(files, "util.py", answers::kUtilSwapped) << justUtil;
        QTest::newRow("search-replace, trailing whitespace")
            << QString(answers::kSrTrailingSpace) << "" << sr
            << with(files, "heuristic.py",
                    edited(heuristic, "for b in bins:", "for b in reversed(bins):"))
            << justHeuristic;
        QTest::newRow("search-replace, quoted without indentation")
            << QString(answers::kSrOutdented) << "" << sr
            << with(files, "heuristic.py",
                    edited(heuristic, "        if b.free >= item:\n            best = b\n",
                           "        if b.free >= item and b.open:\n            best = b\n\n"))
            << justHeuristic;
        QTest::newRow("search-replace, quoted over-indented")
            << QString(answers::kSrOverIndented) << "" << sr
            << with(files, "util.py", answers::kUtilSwapped) << justUtil;
        QTest::newRow("search-replace, empty SEARCH creates a file")
            << QString(answers::kSrCreates) << "" << sr
            << with(files, "sub/helper.py", "def helper():\n    return 1\n")
            << QStringList{"sub/helper.py"};
        QTest::newRow("search-replace, unnamed block with a default path")
            << QString(answers::kSrUnnamed) << "util.py" << sr
            << with(files, "util.py", answers::kUtilSwapped) << justUtil;
        QTest::newRow("search-replace wins over a diff it holds")
            << QString(answers::kSrHoldingADiff) << "" << sr
            << with(files, "notes/patch.diff", answers::kSrHoldingADiffNotes)
            << QStringList{"notes/patch.diff"};

        const std::string bestFit = edited(heuristic, "\"first-fit\"", "\"best-fit\"");
        QTest::newRow("diff, one file in a fence")
            << QString(answers::kDiffOneFile) << "" << diff << with(files, "heuristic.py", bestFit)
            << justHeuristic;
        const std::string twoHunks =
            edited(edited(heuristic, ">= item", "> item"), "    best = None\n    return",
                   "    best = bins[0] if bins else None\n    return");
        const FileSet twoFiles = with(with(files, "heuristic.py", twoHunks), "util.py",
                                      edited(util, ":\n", ":\n    assert lo <= hi\n"));
        QTest::newRow("diff, two files, two hunks")
            << QString(answers::kDiffTwoFiles) << "" << diff << twoFiles << both;
        QTest::newRow("diff, CRLF answer")
            << crlf(answers::kDiffTwoFiles) << "" << diff << twoFiles << both;
        QTest::newRow("diff, wrong line numbers")
            << QString(answers::kDiffWrongNumbers) << "" << diff
            << with(files, "heuristic.py", bestFit) << justHeuristic;
        QTest::newRow("diff, nearest to the stated line (18)")
            << QString(answers::kDiffNearLine18) << "" << diff
            << with(files, "heuristic.py",
                    edited(heuristic, "    best = None\n    return",
                           "    best = bins[0] if bins else None\n    return"))
            << justHeuristic;
        QTest::newRow("diff, nearest to the stated line (5)")
            << QString(answers::kDiffNearLine5) << "" << diff
            << with(files, "heuristic.py",
                    edited(heuristic, "    best = None\n    for",
                           "    best = bins[0] if bins else None\n    for"))
            << justHeuristic;
        QTest::newRow("diff, no numbers, no a/ b/")
            << QString(answers::kDiffNoNumbers) << "" << diff
            << with(files, "util.py", answers::kUtilSwapped) << justUtil;
        QTest::newRow("diff, loose whitespace")
            << QString(answers::kDiffLooseWhitespace) << "" << diff
            << with(files, "heuristic.py", edited(heuristic, "\"first-fit\"", "\"next-fit\""))
            << justHeuristic;
        QTest::newRow("diff, /dev/null creates")
            << QString(answers::kDiffCreates) << "" << diff
            << with(files, "sub/new_module.py", "def helper():\n    return 1\n")
            << QStringList{"sub/new_module.py"};
        QTest::newRow("diff, /dev/null deletes")
            << QString(answers::kDiffDeletes) << "" << diff << FileSet{{"heuristic.py", heuristic}}
            << justUtil;
        QTest::newRow("diff, no newline at end of file")
            << QString(answers::kDiffNoFinalNewline) << "" << diff
            << with(files, "util.py", "def clamp(x, lo, hi):\n    return min(max(x, lo), hi)")
            << justUtil;
        QTest::newRow("diff, headerless hunk with a default path")
            << QString(answers::kDiffHeaderless) << "util.py" << diff
            << with(files, "util.py", answers::kUtilSwapped) << justUtil;

        QTest::newRow("whole files, two files")
            << QString(answers::kWholeTwoFiles) << "" << whole
            << FileSet{{"heuristic.py", answers::kWholeTwoFilesHeuristic},
                       {"util.py", answers::kUtilSwapped}}
            << both;
        QTest::newRow("whole files, CRLF answer")
            << crlf(answers::kWholeTwoFiles) << "" << whole
            << FileSet{{"heuristic.py", answers::kWholeTwoFilesHeuristic},
                       {"util.py", answers::kUtilSwapped}}
            << both;
        QTest::newRow("whole files, the last block wins, commands are not files")
            << QString(answers::kWholeLastWins) << "" << whole
            << with(files, "util.py", answers::kUtilSwapped) << justUtil;
        QTest::newRow("whole files, one unnamed block with a default path")
            << QString(answers::kWholeUnnamed) << "util.py" << whole
            << with(files, "util.py", answers::kUtilSwapped) << justUtil;
        QTest::newRow("whole files, a nested fence")
            << QString(answers::kWholeNestedFence) << "" << whole
            << with(files, "README.md", answers::kWholeNestedFenceReadme)
            << QStringList{"README.md"};
        QTest::newRow("no change is ok")
            << QString(answers::kSrNoChange) << "" << sr << files << QStringList{};
    }
    void applies()
    {
        QFETCH(QString, answer);
        QFETCH(QString, defaultPath);
        QFETCH(EditFormat, format);
        QFETCH(FileSet, expected);
        QFETCH(QStringList, changed);
        const FileSet files = agentFiles();
        const AppliedAnswer applied =
            applyAnswer(answer.toStdString(), files, defaultPath.toStdString());
        QVERIFY2(applied.ok, applied.error.c_str());
        QCOMPARE(QString(editFormatName(applied.format)), QString(editFormatName(format)));
        compareFiles(applied.files, expected);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(toList(applied.changed), changed);
        QStringList deleted;
        for (const auto& [path, content] : files)
            if (!expected.count(path))
                deleted << QString::fromStdString(path);
        QCOMPARE(toList(applied.deleted), deleted);
    }

    // Every way a model tags a whole file with its path.
    void wholeFilePathForms_data()
    {
        QTest::addColumn<QString>("before");
        QTest::addColumn<QString>("info");
        QTest::addColumn<QString>("path");
        QTest::newRow("bare") << "util.py"
                              << "python"
                              << "util.py";
        QTest::newRow("backticks") << "`util.py`"
                                   << "python"
                                   << "util.py";
        QTest::newRow("bold") << "**util.py**"
                              << "python"
                              << "util.py";
        QTest::newRow("heading") << "### util.py"
                                 << ""
                                 << "util.py";
        QTest::newRow("File:") << "File: util.py"
                               << "python"
                               << "util.py";
        QTest::newRow("bold File:, backticks") << "**File:** `util.py`"
                                               << "py"
                                               << "util.py";
        QTest::newRow("colon after") << "`util.py`:"
                                     << "python"
                                     << "util.py";
        QTest::newRow("blank line before the fence") << "util.py\n"
                                                     << "python"
                                                     << "util.py";
        QTest::newRow("sentence naming a known file") << "Here is the updated `util.py`:"
                                                      << "python"
                                                      << "util.py";
        QTest::newRow("info: language and path") << "Done."
                                                 << "python util.py"
                                                 << "util.py";
        QTest::newRow("info: path alone") << ""
                                          << "util.py"
                                          << "util.py";
        QTest::newRow("info: path=") << ""
                                     << "python path=util.py"
                                     << "util.py";
        QTest::newRow("info: language:path") << ""
                                             << "python:util.py"
                                             << "util.py";
        QTest::newRow("new file in a folder") << "### src/extra.py"
                                              << "python"
                                              << "src/extra.py";
    }
    void wholeFilePathForms()
    {
        QFETCH(QString, before);
        QFETCH(QString, info);
        QFETCH(QString, path);
        const QString answer = "I rewrote it.\n\n" + before + "\n```" + info + "\n" +
                               QString(answers::kUtilSwapped).chopped(1) + "\n```\n";
        const AppliedAnswer applied = applyAnswer(answer.toStdString(), agentFiles(), "");
        QVERIFY2(applied.ok, applied.error.c_str());
        QCOMPARE(QString(editFormatName(applied.format)), QString("whole-file"));
        QCOMPARE(toList(applied.changed), QStringList{path});
        compareFiles(applied.files, with(agentFiles(), path.toStdString(), answers::kUtilSwapped));
    }

    void fails_data()
    {
        QTest::addColumn<QString>("answer");
        QTest::addColumn<QString>("defaultPath");
        QTest::addColumn<EditFormat>("format");
        QTest::addColumn<QStringList>("mentions");
        const auto sr = EditFormat::SearchReplace;
        const auto diff = EditFormat::UnifiedDiff;
        const auto whole = EditFormat::WholeFiles;

        QTest::newRow("SEARCH not in the file")
            << QString(answers::kSrSecondMisses) << "" << sr
            << QStringList{"SEARCH/REPLACE block 2 for 'heuristic.py'",
                           "SEARCH begins with '    for bin in bins:'",
                           // line 7, not 6: block 1 added a line above it.
                           "the most similar line in the file is line 7: '    for b in bins:'"};
        QTest::newRow("SEARCH diverges after its first line")
            << QString(answers::kSrDiverges) << "" << sr
            << QStringList{"SEARCH/REPLACE block 1 for 'heuristic.py'",
                           "its first 1 line matches the file from line 6",
                           "its line 2 '        if b.free > item:' differs from the file's "
                           "line 7 '        if b.free >= item:'"};
        QTest::newRow("SEARCH in a missing file")
            << QString(answers::kSrMissingFile) << "" << sr
            << QStringList{"block 1 for 'ghost.py'",
                           "'ghost.py' does not exist (the files are: heuristic.py, util.py)"};
        QTest::newRow("SEARCH block without REPLACE")
            << QString(answers::kSrUnterminated) << "" << sr
            << QStringList{"block 1 for 'util.py': no '>>>>>>> REPLACE' line"};
        QTest::newRow("SEARCH block without a file name")
            << QString(answers::kSrUnnamed) << "" << sr
            << QStringList{"SEARCH/REPLACE block 1: no file name"};
        QTest::newRow("SEARCH/REPLACE absolute path")
            << QString(answers::kSrAbsolutePath) << "" << sr
            << QStringList{"'/etc/passwd' is not a plain relative path"};
        QTest::newRow("hunk not in the file")
            << QString(answers::kDiffSecondHunkMisses) << "" << diff
            << QStringList{"unified diff hunk 2 for 'heuristic.py'",
                           "they begin with 'def name():'"};
        QTest::newRow("diff of a missing file") << QString(answers::kDiffMissingFile) << "" << diff
                                                << QStringList{"'ghost.py' does not exist"};
        QTest::newRow("diff creates an existing file")
            << QString(answers::kDiffCreatesExisting) << "" << diff
            << QStringList{"cannot create 'util.py': it exists already"};
        QTest::newRow("diff escapes the folder")
            << QString(answers::kDiffEscapes) << "" << diff
            << QStringList{"'../outside.py' is not a plain relative path"};
        QTest::newRow("headerless hunk without a default path")
            << QString(answers::kDiffHeaderless) << "" << diff
            << QStringList{"hunk 1 has no '--- a/path' / '+++ b/path' header"};
        QTest::newRow("whole file escapes the folder")
            << QString(answers::kWholeEscapes) << "" << whole
            << QStringList{"'../secret.py' is not a plain relative path"};
        QTest::newRow("whole file cut off")
            << QString(answers::kWholeUnclosed) << "" << whole
            << QStringList{"the code block for 'util.py' has no closing fence"};
        QTest::newRow("unnamed block without a default path")
            << QString(answers::kWholeUnnamed) << "" << whole
            << QStringList{"the code block names no file"};
        QTest::newRow("two unnamed blocks")
            << QString(answers::kWholeTwoUnnamed) << "util.py" << whole
            << QStringList{"none of the 2 code blocks names its file"};
    }
    void fails()
    {
        QFETCH(QString, answer);
        QFETCH(QString, defaultPath);
        QFETCH(EditFormat, format);
        QFETCH(QStringList, mentions);
        const AppliedAnswer applied =
            applyAnswer(answer.toStdString(), agentFiles(), defaultPath.toStdString());
        QVERIFY(!applied.ok);
        QVERIFY(applied.files.empty());
        QVERIFY(applied.changed.empty());
        QCOMPARE(QString(editFormatName(applied.format)), QString(editFormatName(format)));
        const QString error = QString::fromStdString(applied.error);
        for (const QString& mention : mentions)
            QVERIFY2(error.contains(mention), qPrintable(error + "\n  lacks: " + mention));
    }

    void noEditsAtAll()
    {
        const AppliedAnswer applied = applyAnswer(answers::kNoEdits, agentFiles(), "util.py");
        QVERIFY(!applied.ok);
        QCOMPARE(QString::fromStdString(applied.error),
                 QString("the answer holds no file edits (expected whole files in fenced "
                         "blocks, SEARCH/REPLACE blocks or a unified diff)"));
    }

    // The corpus in a file named in it, edited in each format: every character of the
    // answer lands in the file, none of the file's others changes.
    void nonAsciiEditsInEveryFormat_data()
    {
        QTest::addColumn<QString>("answer");
        QTest::addColumn<QString>("expected");
        const std::string path = "中文-🧬.py";
        const std::string file = "a = '" + corpus::kAccented + "'\nb = '" + corpus::kCjk + "'\nc = '" +
                                 corpus::kEmoji + "'\nd = '" + corpus::kRightToLeft + "'\n";
        const std::string cjkSwapped = edited(file, corpus::kCjk, "日本語 中文");
        const std::string emojiSwapped = edited(file, corpus::kEmoji, "👩‍🔬 🧬");
        QTest::newRow("search-replace")
            << QString::fromStdString("Swap the words: " + corpus::kCjk + "\n\n" + path + "\n<<<<<<< SEARCH\nb = '" +
                                      corpus::kCjk + "'\n=======\nb = '日本語 中文'\n>>>>>>> REPLACE\n")
            << QString::fromStdString(cjkSwapped);
        QTest::newRow("unified diff")
            << QString::fromStdString("--- a/" + path + "\n+++ b/" + path + "\n@@ -3,1 +3,1 @@\n-c = '" +
                                      corpus::kEmoji + "'\n+c = '👩‍🔬 🧬'\n")
            << QString::fromStdString(emojiSwapped);
        QTest::newRow("whole file")
            << QString::fromStdString("All of it:\n\n" + path + "\n```python\n" + cjkSwapped + "```\n")
            << QString::fromStdString(cjkSwapped);
    }
    void nonAsciiEditsInEveryFormat()
    {
        QFETCH(QString, answer);
        QFETCH(QString, expected);
        const std::string path = "中文-🧬.py";
        const std::string file = "a = '" + corpus::kAccented + "'\nb = '" + corpus::kCjk + "'\nc = '" +
                                 corpus::kEmoji + "'\nd = '" + corpus::kRightToLeft + "'\n";
        const AppliedAnswer applied = applyAnswer(answer.toStdString(), {{path, file}}, "");
        QVERIFY2(applied.ok, applied.error.c_str());
        QCOMPARE(applied.changed, std::vector<std::string>{path});
        QCOMPARE(QByteArray::fromStdString(applied.files.at(path)), expected.toUtf8());
    }

    // A refusal quotes the line it could not find, cut to 100 characters: whole ones, or
    // the retry prompt (JSON on the wire) would carry half a ’.
    void refusalQuotesWholeCharacters()
    {
        const std::string missing = corpus::splitAt(100);
        const AppliedAnswer applied = applyAnswer(
            "a.py\n<<<<<<< SEARCH\n" + missing + "\n=======\nx = 2\n>>>>>>> REPLACE\n", {{"a.py", "x = 1\n"}}, "");
        QVERIFY(!applied.ok);
        QVERIFY2(isValidUtf8(applied.error), applied.error.c_str());
        QVERIFY2(applied.error.find("'" + std::string(97, 'a') + "...'") != std::string::npos, applied.error.c_str());
    }

    // The tree and the search bar show these: never <think>, a file name, a fence or
    // "Here is the improved version". "" is an answer of edits alone, which the proposer
    // names by its diff (changeDescription).
    void describes_data()
    {
        QTest::addColumn<QString>("answer");
        QTest::addColumn<QString>("defaultPath");
        QTest::addColumn<QString>("description");
        QTest::newRow("<think> first")
            << QString(described::kThinkFirst) << ""
            << "Return the first bin that fits instead of remembering it and breaking.";
        QTest::newRow("only </think>") << QString(described::kClosingTagOnly) << ""
                                       << "Swap the order of min and max in clamp.";
        QTest::newRow("file name first")
            << QString(described::kFileNameFirst) << ""
            << "This renames the heuristic so the results table says what it does.";
        QTest::newRow("fence first") << QString(described::kFenceFirst) << ""
                                     << "Renamed to next-fit.";
        QTest::newRow("Here is the improved version.")
            << QString(described::kHereIsFirst) << ""
            << "Fall back to the first bin when nothing else fits.";
        QTest::newRow("Sure! I'll") << QString(described::kSureIll) << ""
                                    << "Make clamp apply hi last, so hi wins.";
        QTest::newRow("Summary: last, preferred")
            << QString(described::kSummaryLast) << ""
            << "clamp applies the lower bound first, then the upper one.";
        QTest::newRow("<reasoning>, heading, bullet")
            << QString(described::kReasoningThenBullets) << ""
            << "Skip bins that are None before comparing their free space";
        QTest::newRow("Let me first") << QString(described::kLetMeFirst) << ""
                                      << "Stop at the first bin that fits: the loop kept going "
                                         "after a match.";
        QTest::newRow("code that handles </think>")
            << QString(described::kCodeHandlesThinkTags) << ""
            << "Drop the model's reasoning before reading its answer.";
        QTest::newRow("edits alone") << QString(described::kEditsOnly) << ""
                                     << "";
        QTest::newRow("CRLF, </think> only") << crlf(described::kClosingTagOnly) << ""
                                             << "Swap the order of min and max in clamp.";
        // The edit formats' own answers.
        QTest::newRow("aider's layout") << QString(answers::kSrOneFile) << ""
                                        << "Return the first bin that fits directly.";
        QTest::newRow("git diff, no prose") << QString(answers::kDiffTwoFiles) << ""
                                            << "";
        QTest::newRow("prose after a loose diff") << QString(answers::kDiffLooseWhitespace) << ""
                                                  << "This renames the heuristic.";
        QTest::newRow("Change: label, nothing after") << QString(answers::kSrUnnamed) << "util.py"
                                                      << "";
        QTest::newRow("file name, SEARCH/REPLACE only") << QString(answers::kSrTrailingSpace) << ""
                                                        << "";
        QTest::newRow("README with a nested fence") << QString(answers::kWholeNestedFence) << ""
                                                    << "";
    }
    void describes()
    {
        QFETCH(QString, answer);
        QFETCH(QString, defaultPath);
        QFETCH(QString, description);
        const AppliedAnswer applied =
            applyAnswer(answer.toStdString(), agentFiles(), defaultPath.toStdString());
        QVERIFY2(applied.ok, applied.error.c_str());
        QVERIFY(!applied.changed.empty());
        QCOMPARE(QString::fromStdString(answerDescription(answer.toStdString())), description);
    }

    // A description is a tree label: cut to 200 characters, on a character.
    void longDescriptionIsElided()
    {
        const std::string answer =
            "Summary: " + corpus::splitAt(300) + "\n\nutil.py\n```python\nx = 1\n```\n";
        const std::string description = answerDescription(answer);
        QVERIFY(isValidUtf8(description));
        QCOMPARE(characterCount(description), std::size_t(200));
        QVERIFY(description.ends_with("…"));
    }

    void describesChangesWithoutProse_data()
    {
        QTest::addColumn<QString>("files"); // path:status:insertions:deletions, space-separated
        QTest::addColumn<QString>("description");
        QTest::newRow("one file") << "heuristic.py:M:3:1"
                                  << "edit heuristic.py (+3 -1)";
        QTest::newRow("created") << "a.py:A:2:0 sub/b.py:A:7:0"
                                 << "add a.py, sub/b.py (+9 -0)";
        QTest::newRow("deleted") << "util.py:D:0:2"
                                 << "delete util.py (+0 -2)";
        QTest::newRow("many, mixed") << "a.py:M:1:1 b.py:A:5:0 c.py:M:2:1 d.py:D:0:2 e.py:M:4:0"
                                     << "edit a.py, b.py, c.py and 2 more (+12 -4)";
    }
    void describesChangesWithoutProse()
    {
        QFETCH(QString, files);
        QFETCH(QString, description);
        clade::git::DiffStats stats;
        for (const QString& file : files.split(' ')) {
            const QStringList part = file.split(':');
            clade::git::FileChange change;
            change.oldPath = change.newPath = part[0].toStdString();
            change.status = part[1].at(0).toLatin1();
            change.insertions = part[2].toInt();
            change.deletions = part[3].toInt();
            stats.files.push_back(change);
            ++stats.filesChanged;
            stats.insertions += change.insertions;
            stats.deletions += change.deletions;
        }
        QCOMPARE(QString::fromStdString(changeDescription(stats)), description);
    }

    void formatNames()
    {
        QCOMPARE(QString(editFormatName(EditFormat::WholeFiles)), QString("whole-file"));
        QCOMPARE(QString(editFormatName(EditFormat::SearchReplace)), QString("search-replace"));
        QCOMPARE(QString(editFormatName(EditFormat::UnifiedDiff)), QString("unified-diff"));
    }
};

QTEST_GUILESS_MAIN(TestAnswerEdits)
#include "tst_answeredits.moc"
