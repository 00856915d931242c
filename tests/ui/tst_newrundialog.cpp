// The new-run dialog offers every strategy the engine has, shows the chosen one's default
// parameters, and passes typed parameters on as `clade run --param` would.
#include "engine/strategy/Strategy.h"
#include "support/Screenshot.h"
#include "ui/NewRunDialog.h"

#include <QComboBox>
#include <QDoubleSpinBox>
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

    void modelForTheLlmProposer()
    {
        ui::NewRunDialog dialog;
        auto* proposer = dialog.findChild<QComboBox*>("proposer");
        auto* provider = dialog.findChild<QComboBox*>("llmProvider");
        auto* url = dialog.findChild<QLineEdit*>("llmBaseUrl");
        auto* modelName = dialog.findChild<QLineEdit*>("llmModel");
        auto* keyEnv = dialog.findChild<QLineEdit*>("llmKeyEnv");
        auto* maxCost = dialog.findChild<QDoubleSpinBox*>("maxCost");
        QVERIFY(proposer && provider && url && modelName && keyEnv && maxCost);
        // Offline by default: no model, the command proposer.
        QVERIFY(!dialog.settings().llm);
        QVERIFY(!modelName->isEnabled());

        proposer->setCurrentIndex(proposer->findData("llm"));
        QVERIFY_THROWS_EXCEPTION(std::exception, dialog.settings()); // no model chosen
        provider->setCurrentIndex(provider->findData("anthropic"));
        QVERIFY(modelName->isEnabled());
        QVERIFY(url->placeholderText().contains("api.anthropic.com"));
        QVERIFY_THROWS_EXCEPTION(std::exception, dialog.settings()); // no model name
        modelName->setText("claude-test");
        keyEnv->setText("sk-ant-pasted-key-by-mistake"); // a key where its variable's name goes
        QVERIFY_THROWS_EXCEPTION(std::exception, dialog.settings());
        keyEnv->setText("ANTHROPIC_API_KEY");
        url->setText("http://127.0.0.1:9/");
        maxCost->setValue(2.5);
        const auto settings = dialog.settings();
        QCOMPARE(settings.proposer, std::string("llm"));
        QVERIFY(settings.llm && settings.llm->provider == llm::ProviderKind::Anthropic);
        QCOMPARE(settings.llm->model, std::string("claude-test"));
        QCOMPARE(settings.llm->keyEnv, std::string("ANTHROPIC_API_KEY"));
        QCOMPARE(settings.llm->effectiveBaseUrl(), std::string("http://127.0.0.1:9"));
        QCOMPARE(settings.maxCost, 2.5);
    }
};

QTEST_MAIN(TestNewRunDialog)
#include "tst_newrundialog.moc"
