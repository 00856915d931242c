// engine/util/Utf8Text: validation, repair (U+FFFD per maximal ill-formed subpart), cuts
// by bytes that never split a sequence, and elision by characters a person sees.
#include "engine/util/Utf8Text.h"
#include "support/NonAsciiCorpus.h"

#include <QtTest>

using namespace clade::engine;
namespace corpus = testsupport::corpus;

class TestUtf8Text : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void validity_data();
    void validity();
    void repair_data();
    void repair();
    void prefixNeverSplits();
    void suffixNeverSplits();
    void characterCounts_data();
    void characterCounts();
    void elideByCharacters_data();
    void elideByCharacters();
    void elideLongLineLooksOnlyAtItsStart();
    void elideInQString();
};

void TestUtf8Text::validity_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("corpus") << QByteArray::fromStdString(corpus::kValid) << true;
    QTest::newRow("lone ff") << QByteArray("a\xff") << false;
    QTest::newRow("truncated") << QByteArray("a\xe2\x80") << false;
    QTest::newRow("stray continuation") << QByteArray("\x80" "a") << false;
    QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << false;
    QTest::newRow("overlong 3 bytes") << QByteArray("\xe0\x80\xaf") << false;
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
    QTest::newRow("past U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
    QTest::newRow("U+10FFFF") << QByteArray("\xf4\x8f\xbf\xbf") << true;
}

void TestUtf8Text::validity()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QCOMPARE(isValidUtf8(text.toStdString()), valid);
}

void TestUtf8Text::repair_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("repaired");
    QTest::addColumn<int>("replacedBytes");
    const QByteArray fffd = QByteArray::fromStdString(corpus::kReplacement);
    QTest::newRow("valid unchanged") << QByteArray::fromStdString(corpus::kValid)
                                     << QByteArray::fromStdString(corpus::kValid) << 0;
    QTest::newRow("corpus with invalid") << QByteArray::fromStdString(corpus::kWithInvalid)
                                         << QByteArray::fromStdString(corpus::kRepaired)
                                         << corpus::kInvalidBytes;
    QTest::newRow("lone ff") << QByteArray("a\xff" "b") << "a" + fffd + "b" << 1;
    // A lead byte and the continuation it allows are one subpart: one U+FFFD for two bytes.
    QTest::newRow("truncated at the end") << QByteArray("a\xe2\x80") << "a" + fffd << 2;
    QTest::newRow("truncated then ASCII") << QByteArray("\xe2\x80" "b") << fffd + "b" << 2;
    // E0 80: 80 cannot follow E0, so E0 and 80 are two subparts.
    QTest::newRow("overlong") << QByteArray("\xe0\x80") << fffd + fffd << 2;
    QTest::newRow("two stray continuations") << QByteArray("\x80\x80") << fffd + fffd << 2;
    QTest::newRow("truncated before a valid one")
        << QByteArray("\xf0\x9f\xe2\x80\x99") << fffd + QByteArray("\xe2\x80\x99") << 2;
}

void TestUtf8Text::repair()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, repaired);
    QFETCH(int, replacedBytes);
    int replaced = -1;
    const std::string out = toValidUtf8(text.toStdString(), &replaced);
    QCOMPARE(QByteArray::fromStdString(out), repaired);
    QCOMPARE(replaced, replacedBytes);
    QVERIFY(isValidUtf8(out));
}

void TestUtf8Text::prefixNeverSplits()
{
    const std::string text = corpus::kValid;
    for (std::size_t limit = 0; limit <= text.size() + 1; ++limit) {
        const std::string cut = utf8Prefix(text, limit);
        QVERIFY2(cut.size() <= limit, qPrintable(QString::number(limit)));
        QVERIFY2(isValidUtf8(cut), qPrintable(QString::number(limit)));
        QCOMPARE(text.compare(0, cut.size(), cut), 0);
        // Longest: the next character would not have fitted.
        if (cut.size() < text.size())
            QVERIFY(utf8Prefix(text, limit + 1).size() <= limit + 1);
    }
    QCOMPARE(utf8Prefix(corpus::splitAt(157), 157), std::string(156, 'a'));
    QCOMPARE(utf8Prefix(corpus::splitAt(157), 159), std::string(156, 'a') + "’");
}

void TestUtf8Text::suffixNeverSplits()
{
    const std::string text = corpus::kValid;
    for (std::size_t limit = 0; limit <= text.size() + 1; ++limit) {
        const std::string tail = utf8Suffix(text, limit);
        QVERIFY(tail.size() <= limit);
        QVERIFY2(isValidUtf8(tail), qPrintable(QString::number(limit)));
        QCOMPARE(text.compare(text.size() - tail.size(), tail.size(), tail), 0);
    }
    QCOMPARE(utf8Suffix("x’", 2), std::string());
    QCOMPARE(utf8Suffix("x’", 3), std::string("’"));
    // Without the text before the cut: the bytes left of a split character.
    QCOMPARE(leadingContinuationBytes(std::string("’x").substr(1)), std::size_t(2));
    QCOMPARE(leadingContinuationBytes("x’"), std::size_t(0));
    QCOMPARE(leadingContinuationBytes("\x80\x80\x80\x80"), std::size_t(3));
}

void TestUtf8Text::characterCounts_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("characters");
    QTest::newRow("ascii") << QByteArray("tag") << 3;
    QTest::newRow("accented") << QByteArray("señor’s") << 7;
    QTest::newRow("cjk") << QByteArray::fromStdString(corpus::kCjk) << 6;
    QTest::newRow("zwj sequence is one") << QByteArray("👩‍🔬") << 1;
    QTest::newRow("combining accent") << QByteArray("e\xcc\x81") << 1;
    QTest::newRow("rtl") << QByteArray("עברית") << 5;
    QTest::newRow("invalid byte counts once") << QByteArray("a\xff" "b") << 3;
}

void TestUtf8Text::characterCounts()
{
    QFETCH(QByteArray, text);
    QFETCH(int, characters);
    QCOMPARE(characterCount(text.toStdString()), static_cast<std::size_t>(characters));
}

void TestUtf8Text::elideByCharacters_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("maxChars");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("fits") << QByteArray("中文") << 2 << QByteArray("中文");
    QTest::newRow("fits by characters, not bytes") << QByteArray("日本語") << 3 << QByteArray("日本語");
    QTest::newRow("cut") << QByteArray("日本語です") << 4 << QByteArray("日本語…");
    QTest::newRow("zwj kept whole") << QByteArray("🧬👩‍🔬xyz") << 3 << QByteArray("🧬👩‍🔬…");
    QTest::newRow("apostrophe") << QByteArray("it’s long") << 4 << QByteArray("it’…");
    QTest::newRow("repairs") << QByteArray("a\xff" "bcdef") << 4 << QByteArray("a\xEF\xBF\xBD" "b…");
    QTest::newRow("repairs when it fits") << QByteArray("a\xff") << 5 << QByteArray("a\xEF\xBF\xBD");
    QTest::newRow("no room for the ellipsis") << QByteArray("abc") << 1 << QByteArray("a");
    QTest::newRow("zero") << QByteArray("abc") << 0 << QByteArray();
}

void TestUtf8Text::elideByCharacters()
{
    QFETCH(QByteArray, text);
    QFETCH(int, maxChars);
    QFETCH(QByteArray, expected);
    const std::string out = elide(text.toStdString(), static_cast<std::size_t>(maxChars));
    QCOMPARE(QByteArray::fromStdString(out), expected);
    QVERIFY(characterCount(out) <= static_cast<std::size_t>(maxChars));
    QCOMPARE(QByteArray::fromStdString(elide("日本語です", 4, "...")), QByteArray("日..."));
}

void TestUtf8Text::elideLongLineLooksOnlyAtItsStart()
{
    const std::string line = corpus::atLeast(4 << 20);
    const std::string cut = elide(line, 160, "...");
    QVERIFY(isValidUtf8(cut));
    QCOMPARE(characterCount(cut), std::size_t(160));
    QVERIFY(cut.ends_with("..."));
    QCOMPARE(line.compare(0, cut.size() - 3, cut.substr(0, cut.size() - 3)), 0);
}

void TestUtf8Text::elideInQString()
{
    const QString emoji = QString::fromUtf8("🧬🧬🧬");
    QCOMPARE(emoji.size(), 6); // UTF-16 units
    QCOMPARE(elideQString(emoji, 3), emoji);
    QCOMPARE(elideQString(emoji, 2), QString::fromUtf8("🧬…"));
    // left(3) would keep half of the second emoji.
    QVERIFY(!elideQString(emoji + emoji, 3).back().isHighSurrogate());
}

QTEST_GUILESS_MAIN(TestUtf8Text)
#include "tst_utf8text.moc"
