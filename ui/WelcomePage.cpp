#include "ui/WelcomePage.h"

#include "models/RecentRuns.h"

#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace clade::ui {

WelcomePage::WelcomePage(QWidget* parent) : QWidget(parent)
{
    auto* outer = new QHBoxLayout(this);
    auto* column = new QVBoxLayout;
    outer->addStretch(1);
    outer->addLayout(column, 2);
    outer->addStretch(1);

    auto* title = new QLabel(tr("<h1>Clade</h1><p>Explore and steer self-improving coding agents: "
                                "every version is a node, every node is a commit.</p>"),
                             this);
    title->setWordWrap(true);
    column->addStretch(1);
    column->addWidget(title);

    auto* buttons = new QHBoxLayout;
    auto* demo = new QPushButton(tr("Run the demo"), this);
    demo->setObjectName("welcomeDemo");
    demo->setToolTip(tr("A new run of the bundled offline example (bin packing), started at once"));
    auto* fresh = new QPushButton(tr("New run…"), this);
    auto* open = new QPushButton(tr("Open run…"), this);
    for (auto* b : {demo, fresh, open}) {
        b->setMinimumHeight(36);
        buttons->addWidget(b);
    }
    demo->setDefault(true);
    column->addLayout(buttons);

    column->addWidget(new QLabel(tr("<b>Recent runs</b>"), this));
    m_recent = new QListWidget(this);
    m_recent->setObjectName("recentRuns");
    column->addWidget(m_recent, 2);
    column->addStretch(1);

    connect(demo, &QPushButton::clicked, this, &WelcomePage::demoRequested);
    connect(fresh, &QPushButton::clicked, this, &WelcomePage::newRunRequested);
    connect(open, &QPushButton::clicked, this, &WelcomePage::openRequested);
    connect(m_recent, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        Q_EMIT recentRunChosen(item->data(Qt::UserRole).toString());
    });
    reloadRecentRuns();
}

void WelcomePage::reloadRecentRuns()
{
    m_recent->clear();
    const QStringList runs = models::RecentRuns::list();
    for (const QString& folder : runs) {
        auto* item = new QListWidgetItem(folder, m_recent);
        item->setData(Qt::UserRole, folder);
    }
    if (runs.isEmpty()) {
        auto* item = new QListWidgetItem(tr("No runs opened yet."), m_recent);
        item->setFlags(Qt::NoItemFlags);
    }
}

} // namespace clade::ui
