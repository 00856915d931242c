#include "ui/NodeInspector.h"

#include "engine/eval/EngineMetrics.h"
#include "models/TaskResultsModel.h"
#include "ui/PlacementView.h"
#include "ui/SandboxBanner.h"
#include "ui/StatusText.h"

#include <QDateTime>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace clade::ui {
namespace {

QString formatTime(double unixSeconds)
{
    if (unixSeconds <= 0)
        return QStringLiteral("–");
    return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(unixSeconds * 1000))
        .toString("yyyy-MM-dd HH:mm:ss");
}

QString nodeLink(int id)
{
    return QString("<a href=\"node:%1\">#%1</a>").arg(id);
}

enum GuardColumn { GuardMetricColumn, GuardValue, GuardLimit, GuardPassed, GuardColumnCount };

QLabel* sectionText(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextBrowserInteraction);
    return label;
}

} // namespace

NodeInspector::NodeInspector(QWidget* parent) : QWidget(parent)
{
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_empty = new QLabel(tr("Select a node in the tree to inspect it."), this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    outer->addWidget(m_empty);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setFrameShape(QFrame::NoFrame);
    m_body = new QWidget(scroll);
    auto* layout = new QVBoxLayout(m_body);

    m_title = new QLabel(m_body);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextFormat(Qt::RichText);
    layout->addWidget(m_title);
    m_score = sectionText(m_body);
    m_score->setObjectName("score");
    layout->addWidget(m_score);
    // Every node of the run ran in that sandbox: said with each, where a person reads it.
    m_sandbox = sectionText(m_body);
    m_sandbox->setObjectName("sandboxNote");
    m_sandbox->hide();
    layout->addWidget(m_sandbox);

    // The guards next to the score: a node can beat its parent and still be unusable.
    m_guardsBox = new QGroupBox(tr("Guards"), m_body);
    m_guardsBox->setObjectName("guardsBox");
    auto* guardsLayout = new QVBoxLayout(m_guardsBox);
    m_guardSummary = sectionText(m_guardsBox);
    m_guardSummary->setObjectName("guardSummary");
    guardsLayout->addWidget(m_guardSummary);
    m_guards = new QTableWidget(0, GuardColumnCount, m_guardsBox);
    m_guards->setObjectName("guards");
    m_guards->setHorizontalHeaderLabels({tr("Metric"), tr("Value"), tr("Limit"), tr("Passed")});
    m_guards->verticalHeader()->hide();
    m_guards->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_guards->setSelectionMode(QAbstractItemView::NoSelection);
    m_guards->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_guards->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // The panel is narrow: long metric names and the max_regression reference wrap, and
    // the rows grow to fit whenever the columns change width.
    m_guards->setWordWrap(true);
    QHeaderView* header = m_guards->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(GuardMetricColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(GuardLimit, QHeaderView::Stretch);
    connect(header, &QHeaderView::sectionResized, this, [this](int column) {
        if (column == GuardLimit)
            fitGuardTable();
    });
    guardsLayout->addWidget(m_guards);
    m_guardsBox->hide();
    layout->addWidget(m_guardsBox);

    m_fieldsBox = new QWidget(m_body);
    m_fields = new QFormLayout(m_fieldsBox);
    m_fields->setContentsMargins(0, 4, 0, 4);
    m_fields->setLabelAlignment(Qt::AlignRight);
    // Never squeezed below what its rows need: the scroll area scrolls instead.
    m_fieldsBox->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    layout->addWidget(m_fieldsBox);
    m_ranOn = new PlacementView(m_body);
    layout->addWidget(m_ranOn);

    auto group = [&](const QString& title, QWidget* content) {
        auto* box = new QGroupBox(title, m_body);
        auto* boxLayout = new QVBoxLayout(box);
        boxLayout->addWidget(content);
        layout->addWidget(box);
        return box;
    };
    m_clade = sectionText(m_body);
    group(tr("Clade (this node and its descendants)"), m_clade);
    m_strategy = sectionText(m_body);
    m_strategy->setObjectName("strategyInsight");
    m_strategyBox = group(tr("Search strategy"), m_strategy);
    m_strategyBox->hide();

    m_taskModel = new models::TaskResultsModel(this);
    m_tasks = new QTableView(m_body);
    m_tasks->setModel(m_taskModel);
    m_tasks->verticalHeader()->hide();
    // The task name takes the spare width; the numbers keep their natural width beside it.
    m_tasks->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tasks->horizontalHeader()->setSectionResizeMode(models::TaskResultsModel::ColumnTask,
                                                      QHeaderView::Stretch);
    m_tasks->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tasks->setMinimumHeight(160);
    m_tasks->setObjectName("taskResults");
    group(tr("Per-task results"), m_tasks);

    m_risk = sectionText(m_body);
    group(tr("Risk findings"), m_risk);
    m_decisions = sectionText(m_body);
    group(tr("Decisions and notes"), m_decisions);
    layout->addStretch(1);

    scroll->setWidget(m_body);
    outer->addWidget(scroll);
    for (QLabel* label : {m_score, m_clade, m_title})
        connect(label, &QLabel::linkActivated, this, [this](const QString& link) {
            if (link.startsWith("node:"))
                Q_EMIT nodeLinkActivated(link.mid(5).toInt());
        });
    clear();
}

void NodeInspector::clear()
{
    m_nodeId = -1;
    m_guardsBox->hide();
    m_ranOn->hide();
    m_taskModel->setNode(nullptr, nullptr);
    m_empty->show();
    m_body->parentWidget()->parentWidget()->hide(); // the scroll area
}

void NodeInspector::addRow(const QString& label, const QString& value, bool rich)
{
    auto* field = new QLabel(value, m_fieldsBox);
    field->setTextFormat(rich ? Qt::RichText : Qt::PlainText);
    field->setTextInteractionFlags(rich ? Qt::TextBrowserInteraction : Qt::TextSelectableByMouse);
    // Multi-line values (metrics) keep their lines; a word-wrapped label in a form layout
    // under a scroll area gets too little height (Qt's height-for-width there is off).
    field->setWordWrap(!value.contains('\n'));
    if (rich)
        connect(field, &QLabel::linkActivated, this, [this](const QString& link) {
            if (link.startsWith("node:"))
                Q_EMIT nodeLinkActivated(link.mid(5).toInt());
        });
    m_fields->addRow(label, field);
    // Shown now rather than by the layout's queued show, so the form's height is right at
    // once (the scroll area sizes its content from it).
    field->show();
    m_fields->labelForField(field)->show();
}

namespace {

// The change against the parent. When the two were scored on different tasks (a staged or
// cascaded evaluation stopped one of them early), their means are not comparable: the
// change is then the mean difference over the tasks both have, and says so.
QString scoreAgainstParent(const engine::Node& node, const engine::Node& parent)
{
    bool sameTasks = node.results.size() == parent.results.size();
    double sum = 0;
    int shared = 0;
    for (const auto& [task, value] : node.results)
        if (const auto it = parent.results.find(task); it != parent.results.end()) {
            sum += value - it->second;
            ++shared;
        } else {
            sameTasks = false;
        }
    if (sameTasks || node.results.empty())
        return QString(" &nbsp;(%1 vs parent %2)")
            .arg(QString::asprintf("%+.4f", *node.score - *parent.score), nodeLink(parent.id));
    if (shared == 0)
        return QString(" &nbsp;(no task in common with parent %1)").arg(nodeLink(parent.id));
    return QString(" &nbsp;(%1 vs parent %2 on the %3 tasks both have)")
        .arg(QString::asprintf("%+.4f", sum / shared), nodeLink(parent.id))
        .arg(shared);
}

} // namespace

void NodeInspector::showNode(const engine::Node& node, const engine::Node* parent)
{
    const bool sameNode = node.id == m_nodeId;
    m_nodeId = node.id;
    if (!sameNode) {
        m_guardsBox->hide(); // another node's verdict until this one's comes
        m_ranOn->hide();     // likewise where its phases ran (it comes with the details)
    }
    m_empty->hide();
    m_body->parentWidget()->parentWidget()->show();

    QStringList marks;
    for (const auto& flag : engine::flagNames(node.flags))
        marks << QString::fromStdString(flag);
    m_title->setText(QString("Node #%1 &nbsp;<span style=\"color:%2\">%3</span>%4")
                         .arg(node.id)
                         .arg(statusColorName(node.status), statusText(node.status).toHtmlEscaped(),
                              marks.isEmpty() ? QString()
                                              : " &nbsp;<small>" + marks.join(", ") + "</small>"));
    QString score = node.score ? QString("<b>%1</b>").arg(*node.score, 0, 'f', 4)
                               : tr("<i>not scored</i>");
    if (node.score && parent && parent->score)
        score += scoreAgainstParent(node, *parent);
    m_score->setText(score);

    while (m_fields->rowCount() > 0)
        m_fields->removeRow(0);
    QStringList parents;
    for (const int p : node.parents)
        parents << nodeLink(p);
    addRow(tr("Parents"), parents.isEmpty() ? tr("none (root)") : parents.join(", "), true);
    addRow(tr("Change"), node.description.empty() ? tr("–") : QString::fromStdString(node.description));
    // The short form fits the panel; the full id is selectable in the tooltip and `clade show`.
    addRow(tr("Commit"), node.commit.empty() ? tr("none (no code produced)")
                                             : QString::fromStdString(node.commit.substr(0, 12)));
    if (!node.commit.empty())
        m_fields->itemAt(m_fields->rowCount() - 1, QFormLayout::FieldRole)
            ->widget()
            ->setToolTip(QString::fromStdString(node.commit));
    addRow(tr("Diff"), tr("%1 files, +%2 −%3").arg(node.diff.files).arg(node.diff.insertions).arg(node.diff.deletions));
    QString proposer = QString::fromStdString(node.proposer.kind);
    if (!node.proposer.model.empty())
        proposer += " · " + QString::fromStdString(node.proposer.model);
    addRow(tr("Proposer"), proposer);
    if (node.proposer.tokensIn + node.proposer.tokensOut > 0 || node.proposer.cost > 0)
        addRow(tr("Tokens · cost"), tr("%1 in, %2 out · $%3")
                                         .arg(node.proposer.tokensIn)
                                         .arg(node.proposer.tokensOut)
                                         .arg(node.proposer.cost, 0, 'f', 4));
    if (node.stage > 0) // 0: none recorded; the strategy box shows the stage dgm infers
        addRow(tr("Stage"), QString::number(node.stage));
    addRow(tr("Created"), formatTime(node.createdAt));
    addRow(tr("Updated"), formatTime(node.updatedAt));
    addRow(tr("Time"), tr("propose %1 s · evaluate %2 s")
                           .arg(node.proposeSeconds, 0, 'f', 1)
                           .arg(node.evaluateSeconds, 0, 'f', 1));
    addMetricRows(node);
    if (!node.error.empty())
        addRow(tr("Error"), QString::fromStdString(node.error));
    if (!node.tags.empty()) {
        QStringList tags;
        for (const auto& t : node.tags)
            tags << QString::fromStdString(t);
        addRow(tr("Tags"), tags.join(", "));
    }

    m_taskModel->setNode(&node, parent);
    if (!sameNode) {
        m_risk->setText(tr("Loading…"));
        m_decisions->setText(tr("Loading…"));
        m_clade->setText(tr("–"));
    }
}

void NodeInspector::addMetricRows(const engine::Node& node)
{
    // What the score phase reported, then what the engine measured (metricValue() reads
    // both; guards may name either).
    QStringList reported, measured;
    for (const auto& [name, value] : engine::allMetrics(node))
        (engine::isReservedMetricName(name) ? measured : reported)
            << QString("%1 = %2").arg(QString::fromStdString(name)).arg(value, 0, 'g', 6);
    if (!reported.isEmpty())
        addRow(tr("Metrics"), reported.join("\n"));
    if (!measured.isEmpty())
        addRow(tr("Measured"), measured.join("\n"));
}

namespace {

QString number(double value)
{
    return QString::number(value, 'g', 4);
}

// "≤ 2", and with max_regression "≤ 20% worse than #3 (270)" on a line of its own.
QString guardLimitText(const engine::GuardOutcome& outcome)
{
    const engine::GuardMetric& guard = outcome.guard;
    const QString bound = guard.direction == engine::Direction::Minimize ? "≤" : "≥";
    QStringList lines;
    if (guard.limit)
        lines << QString("%1 %2").arg(bound, number(*guard.limit));
    if (guard.maxRegression) {
        const QString worse = QObject::tr("≤ %1% worse than").arg(number(100 * *guard.maxRegression));
        lines << (outcome.reference ? QString("%1 #%2 (%3)")
                                          .arg(worse)
                                          .arg(outcome.referenceNode)
                                          .arg(number(*outcome.reference))
                                    : QObject::tr("%1 its best ancestor").arg(worse));
    }
    return lines.isEmpty() ? QObject::tr("–") : lines.join('\n');
}

// A zero-width space after each '.' and '_', where a long name may wrap.
QString wrappableName(const std::string& name)
{
    QString text = QString::fromStdString(name);
    text.replace('.', QStringLiteral(".\u200b")).replace('_', QStringLiteral("_\u200b"));
    return text;
}

QString guardVerdictText(const engine::GuardOutcome& outcome)
{
    using Verdict = engine::GuardOutcome::Verdict;
    switch (outcome.verdict) {
    case Verdict::Passed: return QObject::tr("✓ yes");
    case Verdict::Pending: return QObject::tr("not scored yet");
    case Verdict::Missing: return QObject::tr("✗ no value");
    case Verdict::PastLimit: return QObject::tr("✗ past limit");
    case Verdict::Regressed: {
        const double fraction =
            engine::worseningFraction(*outcome.value, *outcome.reference, outcome.guard.direction);
        return std::isinf(fraction) ? QObject::tr("✗ regressed")
                                    : QObject::tr("✗ %1% worse").arg(number(100 * fraction));
    }
    }
    return {};
}

} // namespace

void NodeInspector::setGuardReport(const engine::GuardReport& report)
{
    m_guardsBox->setVisible(!report.guards.empty());
    if (report.guards.empty())
        return;
    const int total = static_cast<int>(report.guards.size());
    const bool pending = std::any_of(report.guards.begin(), report.guards.end(),
                                     [](const auto& g) { return g.verdict == engine::GuardOutcome::Verdict::Pending; });
    const int failed = static_cast<int>(std::count_if(report.guards.begin(), report.guards.end(),
                                                      [](const auto& g) { return g.failed(); }));
    const QString guards = total == 1 ? tr("guard") : tr("guards");
    if (failed > 0)
        m_guardSummary->setText(QString("<b style=\"color:#c62828\">%1</b> %2")
                                    .arg(tr("Fails %1 of %2 %3.").arg(failed).arg(total).arg(guards),
                                         tr("Never kept, built on or named best.")));
    else if (pending)
        m_guardSummary->setText(tr("<i>Not scored yet:</i> its guards are checked once it is scored."));
    else
        m_guardSummary->setText(tr("Passes its %1 %2.").arg(total).arg(guards));

    m_guards->setRowCount(total);
    const QColor failText(0xb7, 0x1c, 0x1c);
    const QColor failBackground(0xff, 0xe4, 0xdc);
    for (int row = 0; row < total; ++row) {
        const engine::GuardOutcome& outcome = report.guards[static_cast<size_t>(row)];
        const QString cells[GuardColumnCount] = {
            wrappableName(outcome.guard.name),
            outcome.value ? number(*outcome.value) : tr("–"),
            guardLimitText(outcome),
            guardVerdictText(outcome),
        };
        const QString why = QString::fromStdString(outcome.explanation());
        for (int column = 0; column < GuardColumnCount; ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            item->setToolTip(why);
            item->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);
            if (outcome.failed()) {
                item->setForeground(failText);
                item->setBackground(failBackground);
                if (column == GuardPassed || column == GuardValue) {
                    QFont bold = item->font();
                    bold.setBold(true);
                    item->setFont(bold);
                }
            } else if (column == GuardPassed) {
                item->setForeground(outcome.passed() ? QColor(0x2e, 0x7d, 0x32) : QColor(0x75, 0x75, 0x75));
            }
            m_guards->setItem(row, column, item);
        }
    }
    fitGuardTable();
}

void NodeInspector::fitGuardTable()
{
    // Metric names get at most a third of the width (they wrap at '.' and '_'), the limit
    // what the value and verdict leave.
    const auto* view = static_cast<const QAbstractItemView*>(m_guards); // QTableView hides it
    const int metricWidth = std::min(view->sizeHintForColumn(GuardMetricColumn),
                                     std::max(90, m_guards->viewport()->width() / 3));
    m_guards->horizontalHeader()->resizeSection(GuardMetricColumn, metricWidth);
    // Tall enough for every row: the inspector scrolls, the table does not.
    m_guards->resizeRowsToContents();
    int height = m_guards->horizontalHeader()->sizeHint().height() + 2 * m_guards->frameWidth();
    for (int row = 0; row < m_guards->rowCount(); ++row)
        height += m_guards->rowHeight(row);
    m_guards->setFixedHeight(height);
}

void NodeInspector::showFindings(const std::vector<engine::Finding>& findings)
{
    if (findings.empty()) {
        m_risk->setText(tr("No risk findings recorded for this node."));
        return;
    }
    QStringList lines;
    for (const auto& f : findings) {
        QString where = QString::fromStdString(f.path).toHtmlEscaped();
        if (f.line > 0)
            where += QString(":%1").arg(f.line);
        QString line = QString("<b>%1</b>").arg(QString::fromStdString(f.detector).toHtmlEscaped());
        if (!where.isEmpty())
            line += " <tt>" + where + "</tt>";
        line += "<br>&nbsp;&nbsp;" + QString::fromStdString(f.message).toHtmlEscaped();
        if (!f.excerpt.empty())
            line += "<br>&nbsp;&nbsp;<tt style=\"color:#8c1d18\">" +
                    QString::fromStdString(f.excerpt).toHtmlEscaped() + "</tt>";
        lines << line;
    }
    m_risk->setText(lines.join("<br>"));
}

void NodeInspector::setCladeSummary(const QString& html)
{
    m_clade->setText(html);
}

void NodeInspector::setStrategyInsight(const QString& strategy, const QString& text)
{
    m_strategyBox->setTitle(tr("Search strategy: %1").arg(strategy));
    m_strategy->setText(text.toHtmlEscaped());
    m_strategyBox->setVisible(!text.isEmpty());
}

void NodeInspector::setSandboxWarning(const engine::SandboxWarning& warning)
{
    m_sandbox->setVisible(warning.any());
    if (!warning.any())
        return;
    const WarningColors colors = sandboxWarningColors(warning);
    m_sandbox->setStyleSheet(QString("background:%1; color:%2; border:1px solid %3; "
                                     "border-radius:4px; padding:6px;")
                                 .arg(colors.background, colors.text, colors.border));
    m_sandbox->setText(QString("<b>%1</b><br>%2")
                           .arg(QString::fromStdString(warning.title).toHtmlEscaped(),
                                QString::fromStdString(warning.headline).toHtmlEscaped()));
    QStringList lines;
    for (const auto& line : warning.unenforced)
        lines << "• " + QString::fromStdString(line);
    m_sandbox->setToolTip(lines.join('\n'));
}

void NodeInspector::setDetails(const models::NodeDetailsPtr& details)
{
    if (!details || details->nodeId != m_nodeId)
        return; // an answer for a node no longer shown
    showFindings(details->findings);
    m_ranOn->setPlacements(details->placements);
    if (details->decisions.empty()) {
        m_decisions->setText(tr("No decisions or notes yet."));
        return;
    }
    QStringList lines;
    for (const auto& d : details->decisions) {
        QString line = QString("<b>%1</b> by %2, %3")
                           .arg(QString::fromStdString(d.action).toHtmlEscaped(),
                                QString::fromStdString(d.who).toHtmlEscaped(), formatTime(d.time));
        if (!d.note.empty())
            line += "<br>&nbsp;&nbsp;" + QString::fromStdString(d.note).toHtmlEscaped();
        lines << line;
    }
    m_decisions->setText(lines.join("<br>"));
}

} // namespace clade::ui
