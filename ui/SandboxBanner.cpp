#include "ui/SandboxBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>

namespace clade::ui {

WarningColors sandboxWarningColors(const engine::SandboxWarning& warning)
{
    if (warning.unsafe)
        return {"#fdecea", "#8c1d18", "#f2b8b5"};
    return {"#fff8e1", "#5d4300", "#f0d98c"};
}

SandboxBanner::SandboxBanner(QWidget* parent) : QFrame(parent)
{
    setObjectName("sandboxBanner");
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(8);
    m_icon = new QLabel(this);
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(size, size));
    m_icon->setAlignment(Qt::AlignTop);
    layout->addWidget(m_icon);
    m_text = new QLabel(this);
    m_text->setObjectName("sandboxBannerText");
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setTextInteractionFlags(Qt::TextBrowserInteraction);
    layout->addWidget(m_text, 1);
    connect(m_text, &QLabel::linkActivated, this, [this] {
        m_detailsShown = !m_detailsShown;
        render();
    });
    hide();
}

QString SandboxBanner::text() const
{
    return m_text->text();
}

void SandboxBanner::setWarning(const engine::SandboxWarning& warning)
{
    m_warning = warning;
    render();
}

void SandboxBanner::render()
{
    if (!m_warning.any()) {
        hide();
        return;
    }
    const WarningColors colors = sandboxWarningColors(m_warning);
    // By object name, so the colours do not reach the labels' own frames or tooltips.
    setStyleSheet(QString("#sandboxBanner { background:%1; border-bottom:1px solid %3; }"
                          "#sandboxBanner QLabel { color:%2; background:transparent; }")
                      .arg(colors.background, colors.text, colors.border));
    QString html = QString("<b>%1.</b> %2")
                       .arg(QString::fromStdString(m_warning.title).toHtmlEscaped(),
                            QString::fromStdString(m_warning.headline).toHtmlEscaped());
    // The limits are long sentences: one click away, so the banner stays a line or two.
    if (!m_warning.unenforced.empty()) {
        const QString link = QString("&nbsp; <a href=\"details\" style=\"color:%1\">%2</a>")
                                 .arg(colors.text, m_detailsShown ? tr("Hide details")
                                                                  : tr("Details"));
        html += link;
        if (m_detailsShown)
            for (const auto& line : m_warning.unenforced)
                html += "<br>• " + QString::fromStdString(line).toHtmlEscaped();
    }
    m_text->setText(html);
    show();
}

} // namespace clade::ui
