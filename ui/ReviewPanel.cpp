#include "ui/ReviewPanel.h"

#include "engine/review/Decisions.h"
#include "models/DecisionSender.h"
#include "models/NodeColumns.h"
#include "models/NodeListModel.h"
#include "models/ReviewQueueModel.h"
#include "models/RunSession.h"
#include "ui/DiffView.h"

#include <QHeaderView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>

namespace clade::ui {
namespace {

namespace Action = engine::DecisionAction;
using models::ReviewQueueModel;

QString where(const engine::Finding& f)
{
    if (f.path.empty())
        return QObject::tr("(whole change)");
    return f.line > 0 ? QString("%1:%2").arg(QString::fromStdString(f.path)).arg(f.line)
                      : QString::fromStdString(f.path);
}

} // namespace

ReviewPanel::ReviewPanel(models::RunSession* session, QWidget* parent)
    : QWidget(parent), m_session(session)
{
    auto* outer = new QHBoxLayout(this);
    outer->setContentsMargins(2, 2, 2, 2);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    outer->addWidget(splitter);

    auto* left = new QWidget(splitter);
    auto* layout = new QVBoxLayout(left);
    layout->setContentsMargins(0, 0, 4, 0);
    m_summary = new QLabel(left);
    m_summary->setObjectName("reviewSummary");
    layout->addWidget(m_summary);
    m_queue = new QTableView(left);
    m_queue->setObjectName("reviewQueue");
    m_queue->setModel(session->reviewQueue());
    m_queue->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_queue->setSelectionMode(QAbstractItemView::SingleSelection);
    m_queue->verticalHeader()->hide();
    m_queue->verticalHeader()->setDefaultSectionSize(m_queue->fontMetrics().height() + 6);
    m_queue->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_queue->horizontalHeader()->setStretchLastSection(true);
    m_queue->setContextMenuPolicy(Qt::CustomContextMenu);
    layout->addWidget(m_queue, 2);

    m_title = new QLabel(left);
    m_title->setObjectName("reviewTitle");
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::RichText);
    layout->addWidget(m_title);
    m_findings = new QTextBrowser(left);
    m_findings->setObjectName("reviewFindings");
    m_findings->setOpenLinks(false);
    layout->addWidget(m_findings, 3);

    m_note = new QLineEdit(left);
    m_note->setObjectName("reviewNote");
    m_note->setPlaceholderText(tr("Note for the decision (optional; Ctrl+Return approves)"));
    m_note->setClearButtonEnabled(true);
    layout->addWidget(m_note);
    auto* buttons = new QHBoxLayout;
    m_approve = new QPushButton(tr("Approve"), left);
    m_approve->setObjectName("approveButton");
    m_approve->setToolTip(tr("Evaluate the proposal (or apply the held keep)  Ctrl+Return"));
    m_reject = new QPushButton(tr("Reject"), left);
    m_reject->setObjectName("rejectButton");
    m_reject->setToolTip(tr("It never runs; it stays in the tree, greyed  Ctrl+Backspace"));
    m_edit = new QPushButton(tr("Edit…"), left);
    m_edit->setObjectName("editButton");
    m_edit->setToolTip(tr("Edit the change; the edited version is evaluated as a hand-made child  Ctrl+E"));
    for (QPushButton* b : {m_approve, m_reject, m_edit})
        buttons->addWidget(b);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    m_status = new QLabel(left);
    m_status->setObjectName("reviewStatus");
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    m_diff = new DiffView(splitter);
    m_diff->setObjectName("reviewDiff");
    splitter->addWidget(left);
    splitter->addWidget(m_diff);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({560, 740});

    auto* queue = session->reviewQueue();
    connect(queue, &ReviewQueueModel::rowsInserted, this, &ReviewPanel::onQueueChanged);
    connect(queue, &ReviewQueueModel::rowsRemoved, this, &ReviewPanel::onQueueChanged);
    connect(queue, &ReviewQueueModel::modelReset, this, &ReviewPanel::onQueueChanged);
    connect(queue, &ReviewQueueModel::dataChanged, this, &ReviewPanel::showEntry);
    connect(m_queue->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (m_settingRow || !current.isValid())
                    return;
                m_nodeId = current.data(models::NodeIdRole).toInt();
                showEntry();
                Q_EMIT nodeActivated(m_nodeId);
            });
    connect(m_queue, &QTableView::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QModelIndex index = m_queue->indexAt(pos);
        if (!index.isValid())
            return;
        m_queue->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                              QItemSelectionModel::Rows);
        Q_EMIT contextMenuRequested(index.data(models::NodeIdRole).toInt(),
                                    m_queue->viewport()->mapToGlobal(pos));
    });
    connect(m_approve, &QPushButton::clicked, this,
            [this] { Q_EMIT decisionRequested(m_nodeId, Action::Approve, m_note->text()); });
    connect(m_reject, &QPushButton::clicked, this,
            [this] { Q_EMIT decisionRequested(m_nodeId, Action::Reject, m_note->text()); });
    connect(m_edit, &QPushButton::clicked, this, [this] { Q_EMIT editRequested(m_nodeId, m_note->text()); });
    connect(session->decisions(), &models::DecisionSender::submitted, this, &ReviewPanel::onSubmitted);
    connect(session->decisions(), &models::DecisionSender::failed, this, &ReviewPanel::onFailed);
    connect(session->decisions(), &models::DecisionSender::busyChanged, this, &ReviewPanel::updateButtons);
    onQueueChanged();
}

void ReviewPanel::onQueueChanged()
{
    const auto* queue = m_session->reviewQueue();
    const int count = queue->rowCount();
    m_summary->setText(count == 0 ? tr("Nothing waits for you.")
                                  : tr("<b>%n node(s)</b> wait for your decision (oldest first).",
                                       nullptr, count));
    Q_EMIT countChanged(count);
    // Keep the node on display while it waits; when a decision ends its wait, go on with
    // the next one, as a reviewer working through the queue would.
    int row = queue->rowOf(m_nodeId);
    if (row < 0 && count > 0) {
        const auto& entries = queue->entries();
        const auto next = std::find_if(entries.begin(), entries.end(),
                                       [this](const auto& e) { return e.node.id > m_nodeId; });
        row = next == entries.end() ? count - 1 : int(next - entries.begin());
    }
    selectRow(row);
}

void ReviewPanel::showNode(int id)
{
    const int row = m_session->reviewQueue()->rowOf(id);
    if (row >= 0 && id != m_nodeId)
        selectRow(row);
}

void ReviewPanel::selectRow(int row)
{
    const auto* queue = m_session->reviewQueue();
    const int id = row >= 0 ? queue->entries()[size_t(row)].node.id : -1;
    m_settingRow = true;
    if (row >= 0)
        m_queue->selectionModel()->setCurrentIndex(queue->index(row, 0), QItemSelectionModel::ClearAndSelect |
                                                                              QItemSelectionModel::Rows);
    else
        m_queue->selectionModel()->clear();
    m_settingRow = false;
    if (id != m_nodeId)
        m_note->clear();
    m_nodeId = id;
    showEntry();
}

QString ReviewPanel::noteFor(int id) const
{
    return id == m_nodeId ? m_note->text() : QString();
}

void ReviewPanel::showEntry()
{
    const auto* entry = m_session->reviewQueue()->entry(m_nodeId);
    updateButtons();
    m_findings->setVisible(entry != nullptr); // an empty box would look like a missing answer
    if (!entry) {
        m_title->setText(m_session->reviewQueue()->rowCount() == 0
                             ? tr("When the run's review policy holds a change, it waits here.")
                             : QString());
        m_findings->clear();
        m_diffKey.clear();
        m_diff->clear(); // drops a diff in flight and the old header
        m_diff->showMessage(tr("No held node selected."));
        return;
    }
    const engine::Node& node = entry->node;
    const QString what = entry->keepHeld()
                             ? tr("evaluated (score %1); keeping it waits for you").arg(node.score.value_or(0), 0, 'g', 4)
                             : tr("proposal; it runs only once approved");
    m_title->setText(tr("<b>#%1</b> &nbsp;%2<br>%3")
                         .arg(node.id)
                         .arg(what.toHtmlEscaped(), QString::fromStdString(node.description).toHtmlEscaped()));
    showFindings();

    const engine::Node* parent = m_session->nodes()->node(node.primaryParent());
    const std::string key = (parent ? parent->commit : std::string()) + ".." + node.commit;
    if (key == m_diffKey)
        return; // the same change: keep the diff and its scroll position
    m_diffKey = key;
    if (node.commit.empty()) {
        m_diff->clear();
        m_diff->showMessage(tr("Node #%1 has no code.").arg(node.id));
        return;
    }
    m_diff->showDiff(m_session->runFolder().repo(), parent ? parent->commit : std::string(),
                     node.commit,
                     parent ? tr("#%1 vs its parent #%2").arg(node.id).arg(parent->id)
                            : tr("#%1 (root)").arg(node.id));
}

void ReviewPanel::showFindings()
{
    const auto* entry = m_session->reviewQueue()->entry(m_nodeId);
    if (!entry) {
        m_findings->clear();
        return;
    }
    if (entry->findings.empty()) {
        m_findings->setHtml(QString("<i>%1</i>").arg(
            entry->keepHeld() ? tr("No findings recorded.")
                              : tr("No risk findings: held because the run asks for every proposal.")));
        return;
    }
    // Rich text rather than a table: long messages and excerpts wrap instead of being cut.
    QString html;
    for (const auto& f : entry->findings) {
        html += QString("<p style=\"margin:0 0 6px 0\"><b>%1</b> &nbsp;<code>%2</code><br>%3")
                    .arg(QString::fromStdString(f.detector).toHtmlEscaped(), where(f).toHtmlEscaped(),
                         QString::fromStdString(f.message).toHtmlEscaped());
        if (!f.excerpt.empty())
            html += QString("<br><code style=\"color:#8c1d18; background:#fdecea\">&nbsp;%1&nbsp;</code>")
                        .arg(QString::fromStdString(f.excerpt).toHtmlEscaped());
        html += "</p>";
    }
    m_findings->setHtml(html);
}

void ReviewPanel::updateButtons()
{
    const auto* entry = m_session->reviewQueue()->entry(m_nodeId);
    const bool busy = m_session->decisions()->isBusy();
    m_approve->setEnabled(entry && !busy);
    m_reject->setEnabled(entry && !busy);
    m_edit->setEnabled(entry && !busy && !entry->keepHeld() && !entry->node.commit.empty());
    m_note->setEnabled(entry != nullptr);
}

void ReviewPanel::onSubmitted(int id, const QString& action, const QString& outcome, bool appliedNow)
{
    if (id == m_nodeId)
        m_note->clear();
    setStatus(appliedNow ? tr("#%1 %2: %3").arg(id).arg(action, outcome)
                         : tr("#%1 %2 sent; the process running the search applies it within a "
                              "second.")
                               .arg(id)
                               .arg(action),
              false);
}

void ReviewPanel::onFailed(int id, const QString& action, const QString& message)
{
    setStatus(tr("#%1 %2 failed: %3").arg(id).arg(action, message), true);
}

void ReviewPanel::setStatus(const QString& text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? "color:#b3261e; font-weight:bold" : "color:#1b5e20");
}

} // namespace clade::ui
