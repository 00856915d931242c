#pragma once

#include "engine/llm/LlmSettings.h"

#include <QGroupBox>

#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;

namespace clade::ui {

/// The model a run calls, as `clade run --llm-*` takes it: provider, server URL, model
/// name, the NAME of the environment variable holding the key (never the key), and a cost
/// budget. "No model" leaves the run without one (the command proposer, offline).
class ModelSettingsBox : public QGroupBox {
    Q_OBJECT
public:
    explicit ModelSettingsBox(QWidget* parent = nullptr);

    /// nullopt for "no model"; throws engine::InputError for a model without a name or a
    /// key pasted where the variable's name belongs.
    std::optional<llm::LlmSettings> settings() const;
    double maxCost() const;

private:
    void providerChanged();

    QComboBox* m_provider = nullptr;
    QLineEdit* m_baseUrl = nullptr;
    QLineEdit* m_model = nullptr;
    QLineEdit* m_keyEnv = nullptr;
    QDoubleSpinBox* m_maxCost = nullptr;
};

} // namespace clade::ui
