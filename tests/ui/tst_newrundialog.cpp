// The new-run dialog offers every strategy the engine has, shows the chosen one's default
// parameters, and passes typed parameters on as `clade run --param` would.
#include "engine/strategy/Strategy.h"
#include "support/Screenshot.h"
#include "ui/NewRunDialog.h"

#include <QComboBox>
#include <QLineEdit>
#include <QStandardItemModel>
#include <QtTest>

using namespace clade;

class TestNewRunDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void strategiesAndTheirParameters()
    {
        ui::NewRunDialog dialog;
        dialog.resize(720, 520);
        dialog.show();
        auto* strategies = dialog.findChild<QComboBox*>("strategy");
        auto* params = dialog.findChild<QLineEdit*>("strategyParams");
        QVERIFY(strategies && params);
        auto* model = qobject_cast<QStandardItemModel*>(strategies->model());
        for (const auto& name : engine::strategyNames()) {
            const int row = strategies->findData(QString::fromStdString(name));
            QVERIFY2(row >= 0 && model->item(row)->isEnabled(), name.c_str());
        }
        strategies->setCurrentIndex(strategies->findData("hgm"));
        QVERIFY2(params->placeholderText().contains("alpha=0.6"), qPrintable(params->placeholderText()));
        params->setText("alpha=0.5 cooldown_beta=0");
        const auto settings = dialog.settings();
        QCOMPARE(settings.strategy, std::string("hgm"));
        QCOMPARE(settings.strategyParams["alpha"].get<double>(), 0.5);
        QCOMPARE(settings.strategyParams["cooldown_beta"].get<int>(), 0);
        QVERIFY(!testsupport::saveScreenshot(dialog, "tst_newrundialog.png").isEmpty());
        params->setText("alpha");
        QVERIFY_THROWS_EXCEPTION(std::exception, dialog.settings());
    }
};

QTEST_MAIN(TestNewRunDialog)
#include "tst_newrundialog.moc"
