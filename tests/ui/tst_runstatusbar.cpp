// The status bar's progress text reads over the bar's fill and over its empty part, in
// the styles Qt ships and with a palette whose highlighted text is dark (issue 17: "18 / 60
// children" was drawn dark on the dark-blue fill). Measured on the pixels: each stroke of
// the text against what lies under it.
#include "engine/run/RunProgress.h"
#include "ui/RunStatusBar.h"

#include <QImage>
#include <QProgressBar>
#include <QStyle>
#include <QStyleFactory>
#include <QtTest>

#include <cmath>
#include <memory>

using namespace clade;

namespace {

double luminance(QRgb rgb)
{
    auto channel = [](int value) {
        const double c = value / 255.0;
        return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(qRed(rgb)) + 0.7152 * channel(qGreen(rgb)) + 0.0722 * channel(qBlue(rgb));
}

double contrast(QRgb a, QRgb b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

int distance(QRgb a, QRgb b)
{
    return std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) + std::abs(qBlue(a) - qBlue(b));
}

// The best contrast any text pixel has against the pixel under it (the same bar drawn
// without text), over the fill and over the empty part. Anti-aliased edges contrast less;
// the strokes' cores show what a reader sees.
struct TextContrast {
    double overFill = 0;
    double overGroove = 0;
    int fillPixels = 0;
    int groovePixels = 0;
};

TextContrast measure(const QImage& withText, const QImage& without, QRgb highlight, QRgb base)
{
    TextContrast c;
    for (int y = 0; y < withText.height(); ++y)
        for (int x = 0; x < withText.width(); ++x) {
            const QRgb text = withText.pixel(x, y);
            const QRgb under = without.pixel(x, y);
            if (distance(text, under) < 60)
                continue;
            if (distance(under, highlight) < distance(under, base)) {
                c.overFill = std::max(c.overFill, contrast(text, under));
                ++c.fillPixels;
            } else {
                c.overGroove = std::max(c.overGroove, contrast(text, under));
                ++c.groovePixels;
            }
        }
    return c;
}

} // namespace

class TestRunStatusBar : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void progressTextReadsOverTheFill_data()
    {
        QTest::addColumn<QString>("style");
        QTest::addColumn<bool>("darkHighlightedText");
        QTest::addColumn<int>("children");
        for (const QString style : {"Fusion", "Windows"})
            for (const bool dark : {false, true})
                for (const int children : {18, 30, 45})
                    QTest::addRow("%s%s, %d of 60", qPrintable(style),
                                  dark ? " dark highlighted text" : "", children)
                        << style << dark << children;
    }
    void progressTextReadsOverTheFill()
    {
        QFETCH(QString, style);
        QFETCH(bool, darkHighlightedText);
        QFETCH(int, children);
        std::unique_ptr<QStyle> qstyle(QStyleFactory::create(style));
        QVERIFY(qstyle);
        ui::RunStatusBar bar;
        auto* progress = bar.findChild<QProgressBar*>("iterationProgress");
        QVERIFY(progress);
        progress->setStyle(qstyle.get());
        QPalette palette = progress->palette();
        if (darkHighlightedText) { // a dark-blue fill with dark text, as the issue saw it
            palette.setColor(QPalette::Highlight, QColor("#1c3f8c"));
            palette.setColor(QPalette::HighlightedText, QColor("#202020"));
        }
        progress->setPalette(palette);
        engine::RunProgress p;
        p.iterationBudget = 60;
        p.children = children;
        bar.setProgress(p);
        bar.resize(1440, 30);
        bar.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bar));
        QCOMPARE(progress->text(), QString("%1 / 60 children").arg(children));

        const QImage withText = progress->grab().toImage();
        progress->setFormat(QString());
        const QImage without = progress->grab().toImage();
        const TextContrast c = measure(withText, without, palette.color(QPalette::Highlight).rgb(),
                                       palette.color(QPalette::Base).rgb());
        const QString name = QString("statusbar-progress-%1-%2-%3.png")
                                 .arg(style.toLower())
                                 .arg(darkHighlightedText ? "dark" : "default")
                                 .arg(children);
        withText.scaled(withText.size() * 3).save(QCoreApplication::applicationDirPath() + '/' + name);
        const QString report = QString("%1 (%6 px wide): over the fill %2 px, best contrast %3; over the empty "
                                       "part %4 px, best contrast %5")
                                   .arg(name)
                                   .arg(c.fillPixels)
                                   .arg(c.overFill, 0, 'f', 2)
                                   .arg(c.groovePixels)
                                   .arg(c.overGroove, 0, 'f', 2)
                                   .arg(progress->width());
        qInfo().noquote() << report;
        // On the bar: centred over it (30 of 60 puts half of the text on the fill).
        if (children >= 30)
            QVERIFY2(c.fillPixels > 0, qPrintable(report));
        if (children <= 30)
            QVERIFY2(c.groovePixels > 0, qPrintable(report));
        // At least WCAG's 3 for bold or large text, on the strokes' cores: Qt's own white on
        // its mid-blue fill is 3.7; dark text on a dark-blue fill is under 2.
        if (c.fillPixels > 0)
            QVERIFY2(c.overFill >= 3, qPrintable(report));
        if (c.groovePixels > 0)
            QVERIFY2(c.overGroove >= 3, qPrintable(report));
    }
};

QTEST_MAIN(TestRunStatusBar)
#include "tst_runstatusbar.moc"
