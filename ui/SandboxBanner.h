#pragma once

#include "engine/run/SandboxWarning.h"

#include <QFrame>

class QLabel;

namespace clade::ui {

/// The colours of a sandbox warning, shared by the banner and the inspector: an unsafe
/// run takes the problem banner's red, unenforced limits alone the import notice's amber.
struct WarningColors {
    const char* background;
    const char* text;
    const char* border;
};
WarningColors sandboxWarningColors(const engine::SandboxWarning& warning);

/// Above the tree while the open run's sandbox does not give every guarantee
/// (engine::sandboxWarning()): its title and sentence, and on request the limits not
/// enforced, one line each. Hidden when there is nothing to say.
class SandboxBanner : public QFrame {
    Q_OBJECT
public:
    explicit SandboxBanner(QWidget* parent = nullptr);

    void setWarning(const engine::SandboxWarning& warning);
    QString text() const;

private:
    void render();

    engine::SandboxWarning m_warning;
    bool m_detailsShown = false;
    QLabel* m_icon = nullptr;
    QLabel* m_text = nullptr;
};

} // namespace clade::ui
