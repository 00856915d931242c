// The inspector's score line: the change against the parent, which is only a difference of
// means when both were scored on the same tasks (a cascade or a dgm stage stops a child
// after part of them).
#include "ui/NodeInspector.h"

#include "support/SyntheticNodes.h"

#include <QLabel>
#include <QtTest>

using namespace clade;


class TestNodeInspector : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void scoreAgainstParent_data()
    {
        QTest::addColumn<QString>("child"); // task=score ...
        QTest::addColumn<QString>("expected");
        QTest::newRow("same tasks: the means") << "a=0.7 b=0.9 c=0.5 d=0.6" << "+0.0750 vs parent";
        QTest::newRow("stopped after two: over those two")
            << "a=0.6 b=0.4" << "-0.0500 vs parent <a href=\"node:0\">#0</a> on the 2 tasks both have";
        QTest::newRow("no task in common") << "x=0.9" << "no task in common with parent";
    }
    void scoreAgainstParent()
    {
        QFETCH(QString, child);
        QFETCH(QString, expected);
        // The parent's mean is 0.6; its first two tasks average 0.55.
        const engine::Node parent = testsupport::scoredNode(0, -1, {{"a", 0.5}, {"b", 0.6}, {"c", 0.7}, {"d", 0.6}});
        std::map<std::string, double> results;
        for (const auto& pair : child.split(' ')) {
            const auto kv = pair.split('=');
            results[kv[0].toStdString()] = kv[1].toDouble();
        }
        ui::NodeInspector inspector;
        inspector.showNode(testsupport::scoredNode(1, 0, results), &parent);
        const auto* label = inspector.findChild<QLabel*>("score");
        QVERIFY(label);
        QVERIFY2(label->text().contains(expected), qPrintable(label->text()));
    }
};

QTEST_MAIN(TestNodeInspector)
#include "tst_nodeinspector.moc"
