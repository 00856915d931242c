#include "ui/LogView.h"

#include "models/LogTail.h"
#include "models/RunPaths.h"
#include "ui/TextSearchBar.h"

#include <QDir>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QStackedLayout>
#include <QTabBar>
#include <QTextBlock>
#include <QVBoxLayout>

namespace clade::ui {
namespace {

// The phases in the order they run (an llm proposer's prompt and the model's answers
// first); other logs follow alphabetically.
const QStringList PhaseOrder = {QStringLiteral("prompt.md"),   QStringLiteral("response.md"),
                                QStringLiteral("propose.log"), QStringLiteral("solve.log"),
                                QStringLiteral("score.log"),   QStringLiteral("evaluate.log"),
                                QStringLiteral("gateway.log")};

QStringList sortedLogs(QStringList names)
{
    std::sort(names.begin(), names.end(), [](const QString& a, const QString& b) {
        const qsizetype ia = PhaseOrder.indexOf(a);
        const qsizetype ib = PhaseOrder.indexOf(b);
        if (ia >= 0 || ib >= 0)
            return (ia < 0 ? PhaseOrder.size() : ia) < (ib < 0 ? PhaseOrder.size() : ib);
        return a < b;
    });
    return names;
}

bool isAtBottom(const QPlainTextEdit* text)
{
    const QScrollBar* bar = text->verticalScrollBar();
    return bar->value() >= bar->maximum() - 1;
}

} // namespace

LogView::LogView(QWidget* parent)
    : QWidget(parent), m_tail(new models::LogTail(this)), m_tabs(new QTabBar), m_note(new QLabel),
      m_empty(new QLabel), m_text(new QPlainTextEdit), m_search(nullptr)
{
    m_text->setObjectName(QStringLiteral("logText"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFrameShape(QFrame::NoFrame);
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setPointSizeF(std::max(font.pointSizeF(), 9.5));
    m_text->setFont(font);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_text->document()->setDocumentMargin(6);
    m_search = new TextSearchBar(m_text);

    m_tabs->setObjectName(QStringLiteral("logTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->setDrawBase(false);
    m_tabs->setExpanding(false);
    connect(m_tabs, &QTabBar::currentChanged, this, &LogView::openCurrentLog);

    m_note->setObjectName(QStringLiteral("logNote"));
    m_note->setStyleSheet(
        QStringLiteral("QLabel { background: #f3f6fb; color: #59636e; padding: 4px 8px;"
                       " border-bottom: 1px solid #d0d7de; }"));
    m_note->hide();
    m_empty->setObjectName(QStringLiteral("logEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setStyleSheet(QStringLiteral("color: #59636e;"));

    auto* header = new QHBoxLayout;
    header->setContentsMargins(4, 2, 4, 2);
    header->addWidget(m_tabs, 1);
    header->addWidget(m_search);

    auto* textPage = new QWidget;
    auto* textLayout = new QVBoxLayout(textPage);
    textLayout->setContentsMargins(0, 0, 0, 0);
    textLayout->setSpacing(0);
    textLayout->addWidget(m_note);
    textLayout->addWidget(m_text, 1);
    auto* pages = new QStackedLayout;
    pages->addWidget(m_empty);
    pages->addWidget(textPage);
    connect(this, &LogView::textUpdated, this,
            [this, pages] { pages->setCurrentIndex(m_logNames.isEmpty() ? 0 : 1); });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(header);
    layout->addLayout(pages, 1);

    connect(m_tail, &models::LogTail::reset, this, &LogView::onReset);
    connect(m_tail, &models::LogTail::appended, this, &LogView::onAppended);
    connect(m_tail, &models::LogTail::failed, this,
            [this](const QString& message) { setNote(message); });
    connect(&m_folderWatcher, &QFileSystemWatcher::directoryChanged, this,
            &LogView::refreshLogList);
    clear();
}

LogView::~LogView() = default;

void LogView::setMaxBytes(qint64 bytes)
{
    m_tail->setMaxBytes(bytes);
}

void LogView::clear()
{
    m_runFolder.clear();
    m_nodeId = -1;
    m_tail->close();
    if (!m_folderWatcher.directories().isEmpty())
        m_folderWatcher.removePaths(m_folderWatcher.directories());
    m_logNames.clear();
    const QSignalBlocker blocker(m_tabs);
    while (m_tabs->count() > 0)
        m_tabs->removeTab(0);
    m_text->clear();
    m_empty->setText(tr("Select a node to see its logs"));
    setNote(QString());
    Q_EMIT textUpdated();
}

QString LogView::logFolder() const
{
    return models::qtPath(models::runFolderOf(m_runFolder).artifacts(m_nodeId));
}

void LogView::showNode(const QString& runFolder, int nodeId)
{
    const QString keep = currentLog();
    clear();
    m_runFolder = runFolder;
    m_nodeId = nodeId;
    m_empty->setText(tr("Node %1 has no logs yet").arg(nodeId));
    refreshLogList();
    if (!keep.isEmpty())
        selectLog(keep);
}

void LogView::refreshLogList()
{
    if (m_nodeId < 0)
        return;
    // The node's folder may not exist yet (a node still being proposed): watch its
    // parent until it appears. Listing one small folder is cheap enough for this thread.
    const QString folder = logFolder();
    const QString watched = QDir(folder).exists()
                                ? folder
                                : models::qtPath(models::runFolderOf(m_runFolder).artifacts());
    if (!m_folderWatcher.directories().contains(watched)) {
        if (!m_folderWatcher.directories().isEmpty())
            m_folderWatcher.removePaths(m_folderWatcher.directories());
        if (QDir(watched).exists())
            m_folderWatcher.addPath(watched);
    }
    const QStringList names =
        sortedLogs(QDir(folder).entryList({QStringLiteral("*.log"), QStringLiteral("prompt.md"),
                                            QStringLiteral("response.md")},
                                           QDir::Files | QDir::Readable));
    if (names == m_logNames)
        return;
    const QString current = currentLog();
    m_logNames = names;
    {
        const QSignalBlocker blocker(m_tabs);
        while (m_tabs->count() > 0)
            m_tabs->removeTab(0);
        for (const QString& name : names) {
            const int tab = m_tabs->addTab(QFileInfo(name).completeBaseName());
            m_tabs->setTabToolTip(tab, QDir(folder).filePath(name));
        }
        const qsizetype keep = names.indexOf(current);
        m_tabs->setCurrentIndex(keep >= 0 ? static_cast<int>(keep) : 0);
    }
    if (currentLog() != current || m_tail->path().isEmpty())
        openCurrentLog();
    Q_EMIT textUpdated();
}

QString LogView::currentLog() const
{
    const int tab = m_tabs->currentIndex();
    return tab >= 0 && tab < m_logNames.size() ? m_logNames[tab] : QString();
}

void LogView::selectLog(const QString& fileName)
{
    const qsizetype tab = m_logNames.indexOf(fileName);
    if (tab >= 0)
        m_tabs->setCurrentIndex(static_cast<int>(tab));
}

QString LogView::text() const
{
    return m_text->toPlainText();
}

void LogView::openCurrentLog()
{
    const QString name = currentLog();
    m_text->clear();
    setNote(QString());
    if (name.isEmpty()) {
        m_tail->close();
        return;
    }
    m_tail->open(QDir(logFolder()).filePath(name));
}

void LogView::onReset(const QString& text, qint64 skippedBytes, bool exists)
{
    m_skipped = skippedBytes;
    m_trimmed = false;
    m_text->setPlainText(text);
    // A phase log is read from its end (where it is still growing, or why it failed); the
    // prompt and the model's answers (.md) are documents, read from the top.
    if (currentLog().endsWith(QLatin1String(".md"))) {
        m_text->moveCursor(QTextCursor::Start);
        m_text->verticalScrollBar()->setValue(0);
    } else {
        m_text->moveCursor(QTextCursor::End);
        m_text->verticalScrollBar()->setValue(m_text->verticalScrollBar()->maximum());
    }
    if (!exists)
        setNote(tr("The log is gone (the run folder may have been cleaned)"));
    else if (skippedBytes > 0)
        setNote(tr("Showing the end of the log: the first %1 are not shown")
                    .arg(QLocale().formattedDataSize(skippedBytes)));
    else
        setNote(QString());
    m_search->refresh();
    Q_EMIT textUpdated();
}

void LogView::onAppended(const QString& text)
{
    const bool follow = isAtBottom(m_text);
    QTextCursor cursor(m_text->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(text);
    trimIfTooLong();
    if (follow)
        m_text->verticalScrollBar()->setValue(m_text->verticalScrollBar()->maximum());
    m_search->refresh();
    Q_EMIT textUpdated();
}

void LogView::trimIfTooLong()
{
    // Appends could otherwise grow the document without bound while a run goes on.
    const qint64 limit = 2 * m_tail->maxBytes();
    QTextDocument* document = m_text->document();
    if (document->characterCount() <= limit)
        return;
    const int cut = document->characterCount() - static_cast<int>(m_tail->maxBytes());
    QTextCursor cursor(document);
    cursor.setPosition(document->findBlock(cut).position());
    cursor.movePosition(QTextCursor::Start, QTextCursor::KeepAnchor);
    cursor.removeSelectedText();
    if (!m_trimmed) {
        m_trimmed = true;
        setNote(tr("Showing the end of the log: earlier lines were dropped to keep the view fast"));
    }
}

void LogView::setNote(const QString& note)
{
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

} // namespace clade::ui
