#include "ui/ModelSettingsBox.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>

#include <nlohmann/json.hpp>

namespace clade::ui {

ModelSettingsBox::ModelSettingsBox(QWidget* parent) : QGroupBox(tr("Model"), parent)
{
    m_provider = new QComboBox(this);
    m_provider->setObjectName("llmProvider");
    m_provider->addItem(tr("None — no model calls (offline)"), QString());
    m_provider->addItem(tr("OpenAI-compatible (OpenAI, vLLM, llama.cpp, Ollama, LM Studio)"),
                        QStringLiteral("openai"));
    m_provider->addItem(tr("Anthropic"), QStringLiteral("anthropic"));
    m_baseUrl = new QLineEdit(this);
    m_baseUrl->setObjectName("llmBaseUrl");
    m_model = new QLineEdit(this);
    m_model->setObjectName("llmModel");
    m_model->setPlaceholderText(tr("as the server names it, e.g. gpt-4o-mini"));
    m_keyEnv = new QLineEdit(this);
    m_keyEnv->setObjectName("llmKeyEnv");
    m_keyEnv->setToolTip(tr("The NAME of the environment variable that holds the API key; the "
                            "key itself is read when a call is made and never stored"));
    m_maxCost = new QDoubleSpinBox(this);
    m_maxCost->setObjectName("maxCost");
    m_maxCost->setRange(0, 100000);
    m_maxCost->setDecimals(2);
    m_maxCost->setPrefix(QStringLiteral("$"));
    m_maxCost->setSpecialValueText(tr("no cost limit"));

    auto* form = new QFormLayout(this);
    form->addRow(tr("Provider"), m_provider);
    form->addRow(tr("Server URL"), m_baseUrl);
    form->addRow(tr("Model"), m_model);
    form->addRow(tr("Key variable"), m_keyEnv);
    form->addRow(tr("Cost budget"), m_maxCost);
    connect(m_provider, &QComboBox::currentIndexChanged, this, &ModelSettingsBox::providerChanged);
    providerChanged();
}

void ModelSettingsBox::providerChanged()
{
    const QString provider = m_provider->currentData().toString();
    const bool used = !provider.isEmpty();
    for (QWidget* field : {static_cast<QWidget*>(m_baseUrl), static_cast<QWidget*>(m_model),
                           static_cast<QWidget*>(m_keyEnv), static_cast<QWidget*>(m_maxCost)})
        field->setEnabled(used);
    if (!used)
        return;
    const auto kind = *llm::parseProviderName(provider.toStdString());
    m_baseUrl->setPlaceholderText(
        tr("default %1").arg(QString::fromStdString(llm::defaultBaseUrl(kind))));
    m_keyEnv->setPlaceholderText(kind == llm::ProviderKind::Anthropic
                                     ? QStringLiteral("ANTHROPIC_API_KEY")
                                     : tr("OPENAI_API_KEY (empty for a local server)"));
}

std::optional<llm::LlmSettings> ModelSettingsBox::settings() const
{
    const QString provider = m_provider->currentData().toString();
    if (provider.isEmpty())
        return std::nullopt;
    nlohmann::json json{{"provider", provider.toStdString()},
                        {"model", m_model->text().trimmed().toStdString()},
                        {"key_env", m_keyEnv->text().trimmed().toStdString()}};
    if (const QString url = m_baseUrl->text().trimmed(); !url.isEmpty())
        json["base_url"] = url.toStdString();
    return llm::LlmSettings::fromJson(json, tr("the Model box").toStdString());
}

double ModelSettingsBox::maxCost() const
{
    return m_provider->currentData().toString().isEmpty() ? 0 : m_maxCost->value();
}

} // namespace clade::ui
