// Intra-line emphasis in diffs: which characters of a changed line are marked.
#include "models/IntralineDiff.h"

#include <QtTest>

using clade::models::intralineChanges;
using clade::models::TextSpan;

namespace {

// The text each span covers, so rows read as what a reviewer would see marked.
QStringList covered(const QString& line, const std::vector<TextSpan>& spans)
{
    QStringList parts;
    for (const TextSpan& span : spans) {
        Q_ASSERT(span.start >= 0 && span.length > 0 && span.start + span.length <= line.size());
        parts << line.mid(span.start, span.length);
    }
    return parts;
}

} // namespace

class TestIntralineDiff : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void marksWhatChanged_data()
    {
        QTest::addColumn<QString>("oldLine");
        QTest::addColumn<QString>("newLine");
        QTest::addColumn<QStringList>("oldMarked");
        QTest::addColumn<QStringList>("newMarked");

        QTest::newRow("constant") << "    return bins - 15 * item"
                                  << "    return bins - 16.5 * item" << QStringList{"15"}
                                  << QStringList{"16.5"};
        QTest::newRow("operator") << "x = a + b" << "x = a * b" << QStringList{"+"}
                                  << QStringList{"*"};
        QTest::newRow("added term") << "score = -index"
                                    << "score = -index + 0.5 * remaining" << QStringList{}
                                    << QStringList{" + 0.5 * remaining"};
        QTest::newRow("removed argument") << "f(a, b, c)" << "f(a, c)" << QStringList{"b, "}
                                          << QStringList{};
        QTest::newRow("two places, blank joined") << "if a and b: return old_value"
                                                  << "if a or b: return new_value"
                                                  << QStringList{"and", "old_value"}
                                                  << QStringList{"or", "new_value"};
        QTest::newRow("indent only") << "x = 1" << "    x = 1" << QStringList{}
                                     << QStringList{"    "};
        QTest::newRow("words keep together") << "total_count += 1" << "total_size += 1"
                                             << QStringList{"total_count"}
                                             << QStringList{"total_size"};
        QTest::newRow("non-ascii") << "name = \"Zürich\"" << "name = \"Genève\""
                                   << QStringList{"Zürich"} << QStringList{"Genève"};
        // 🧬 and 🧪 share their first UTF-16 unit: marking by units would cover half of each.
        QTest::newRow("emoji, whole") << "tag = \"🧬 x\"" << "tag = \"🧪 x\"" << QStringList{"🧬"}
                                      << QStringList{"🧪"};
        QTest::newRow("zwj sequence, whole") << "who = \"👩‍🔬 x\"" << "who = \"👩‍🚀 x\""
                                             << QStringList{"👩‍🔬"} << QStringList{"👩‍🚀"};
        QTest::newRow("combining accent, whole") << "v = \"e\u0301t\u00e9 x\"" << "v = \"e\u0300t\u00e9 x\""
                                                 << QStringList{"e\u0301t\u00e9"}
                                                 << QStringList{"e\u0300t\u00e9"};
        QTest::newRow("cjk and rtl words") << "s = 中文 + עברית" << "s = 日本語 + עברית"
                                           << QStringList{"中文"} << QStringList{"日本語"};
    }
    void marksWhatChanged()
    {
        QFETCH(QString, oldLine);
        QFETCH(QString, newLine);
        QFETCH(QStringList, oldMarked);
        QFETCH(QStringList, newMarked);
        const auto changes = intralineChanges(oldLine, newLine);
        QCOMPARE(covered(oldLine, changes.oldSpans), oldMarked);
        QCOMPARE(covered(newLine, changes.newSpans), newMarked);
    }

    // Nothing is marked where marking would not help: equal lines, lines that share too
    // little (emphasising all of both says no more than the line colours), huge lines.
    void marksNothing_data()
    {
        QTest::addColumn<QString>("oldLine");
        QTest::addColumn<QString>("newLine");
        QTest::newRow("equal") << "x = 1" << "x = 1";
        QTest::newRow("unrelated") << "import numpy as np" << "return best_fit(bins)";
        QTest::newRow("only a blank shared") << "alpha beta" << "gamma delta";
        QTest::newRow("a few brackets shared, several stretches")
            << "    for (int x : v)" << "    return std::accumulate(v.begin(), v.end(), 0L);";
        QTest::newRow("only the semicolon kept") << "        total += x;"
                                                 << "    return std::accumulate(v.begin(), v.end(), 0L);";
        QTest::newRow("both empty") << "" << "";
        QString longOld, longNew;
        for (int i = 0; i < 400; ++i) {
            longOld += QStringLiteral("a%1 ").arg(i);
            longNew += QStringLiteral("a%1 ").arg(i + (i == 200 ? 1000 : 0));
        }
        QTest::newRow("over 500 tokens") << longOld << longNew;
    }
    void marksNothing()
    {
        QFETCH(QString, oldLine);
        QFETCH(QString, newLine);
        QVERIFY(intralineChanges(oldLine, newLine).empty());
    }

    // A deleted line pairs with its edit even when a new line comes first; pairs keep
    // their order; a line with no edit among the added ones stays unpaired.
    void pairsEditsInOrder()
    {
        const std::vector<QString> deleted = {"int sum(const std::vector<int>& v)",
                                              "    int total = 0; // running total",
                                              "    return total;"};
        const std::vector<QString> added = {"/* Sums with std::accumulate. */",
                                            "long sum(const std::vector<int>& v)",
                                            "    return std::accumulate(v.begin(), v.end(), 0L);"};
        const auto pairs = clade::models::pairSimilarLines(deleted, added);
        QCOMPARE(pairs.size(), size_t(2));
        QCOMPARE(pairs[0].deleted, 0);
        QCOMPARE(pairs[0].added, 1);
        QCOMPARE(covered(added[1], pairs[0].changes.newSpans), QStringList{"long"});
        QCOMPARE(pairs[1].deleted, 2); // "int total" has no edit among the added lines
        QCOMPARE(pairs[1].added, 2);
    }

    // Past 10,000 comparisons only facing lines are compared, so a huge block stays cheap.
    void hugeBlocksPairByPosition()
    {
        std::vector<QString> deleted, added;
        for (int i = 0; i < 200; ++i) {
            deleted.push_back(QStringLiteral("total = total * %1 + offset").arg(i));
            added.push_back(QStringLiteral("total = total * %1 + offset").arg(i + 1000));
        }
        const auto pairs = clade::models::pairSimilarLines(deleted, added);
        QCOMPARE(pairs.size(), size_t(200)); // every line is like every other: all pair
        for (const auto& pair : pairs)
            QCOMPARE(pair.deleted, pair.added);
    }

    void lineAddedFromNothing()
    {
        // An empty old line shares nothing: no emphasis (the whole line is new anyway).
        QVERIFY(intralineChanges(QString(), QStringLiteral("x = 1")).empty());
    }
};

QTEST_GUILESS_MAIN(TestIntralineDiff)
#include "tst_intralinediff.moc"
