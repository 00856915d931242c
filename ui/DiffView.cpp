#include "ui/DiffView.h"

#include "models/DiffFileListModel.h"
#include "models/DiffLoader.h"
#include "ui/DiffColors.h"
#include "ui/DiffFileDelegate.h"
#include "ui/DiffTextView.h"
#include "ui/SideBySideDiffView.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace clade::ui {
namespace {

// Diffs usually take a few milliseconds; a busy bar flashing for those is noise.
constexpr int BusyDelayMs = 150;

QToolButton* toolButton(const QString& text, const QString& name, const QString& tip)
{
    auto* button = new QToolButton;
    button->setText(text);
    button->setObjectName(name);
    button->setToolTip(tip);
    button->setAutoRaise(true);
    return button;
}

} // namespace

DiffView::DiffView(QWidget* parent)
    : QWidget(parent), m_model(new models::DiffFileListModel(this)),
      m_loader(new models::DiffLoader(this)), m_title(new QLabel), m_summary(new QLabel),
      m_banner(new QLabel), m_message(new QLabel),
      m_unifiedButton(toolButton(tr("Unified"), QStringLiteral("unifiedButton"),
                                 tr("Old and new lines interleaved"))),
      m_sideBySideButton(toolButton(tr("Side by side"), QStringLiteral("sideBySideButton"),
                                    tr("Old version left, new version right"))),
      m_previousButton(toolButton(QStringLiteral("▲"), QStringLiteral("previousFileButton"),
                                  tr("Previous file (Alt+Up)"))),
      m_nextButton(toolButton(QStringLiteral("▼"), QStringLiteral("nextFileButton"),
                              tr("Next file (Alt+Down)"))),
      m_busyBar(nullptr), m_busyDelay(new QTimer(this)), m_fileList(new QListView),
      m_pages(new QStackedWidget), m_textStack(new QStackedWidget), m_unified(new DiffTextView),
      m_sideBySideView(new SideBySideDiffView)
{
    connect(m_loader, &models::DiffLoader::loaded, this, &DiffView::onDiffLoaded);
    m_busyBar = createBusyBar();
    m_busyDelay->setSingleShot(true);
    m_busyDelay->setInterval(BusyDelayMs);
    connect(m_busyDelay, &QTimer::timeout, this, [this] { m_busyBar->setVisible(m_busy); });

    m_fileList->setObjectName(QStringLiteral("diffFileList"));
    m_fileList->setModel(m_model);
    m_fileList->setItemDelegate(new DiffFileDelegate(m_fileList));
    m_fileList->setUniformItemSizes(true);
    m_fileList->setFrameShape(QFrame::NoFrame);
    m_fileList->setMinimumWidth(160);
    connect(m_fileList->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &DiffView::onCurrentFileChanged);
    connect(m_unified, &DiffEditor::topFileChanged, this, &DiffView::onTopFileChanged);
    connect(m_sideBySideView, &SideBySideDiffView::topFileChanged, this,
            &DiffView::onTopFileChanged);

    m_banner->setObjectName(QStringLiteral("diffBanner"));
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(
        QStringLiteral("QLabel { background: #f3f6fb; color: %1; padding: 5px 8px;"
                       " border-bottom: 1px solid %2; }")
            .arg(DiffColors::mutedText().name(), DiffColors::border().name()));
    m_banner->hide();

    m_textStack->addWidget(m_unified);
    m_textStack->addWidget(m_sideBySideView);
    auto* textPane = new QWidget;
    auto* textLayout = new QVBoxLayout(textPane);
    textLayout->setContentsMargins(0, 0, 0, 0);
    textLayout->setSpacing(0);
    textLayout->addWidget(m_banner);
    textLayout->addWidget(m_textStack, 1);

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(m_fileList);
    splitter->addWidget(textPane);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({220, 700});
    splitter->setHandleWidth(1);
    splitter->setStyleSheet(
        QStringLiteral("QSplitter::handle { background: %1; }").arg(DiffColors::border().name()));

    m_message->setObjectName(QStringLiteral("diffMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    QFont messageFont = m_message->font();
    messageFont.setPointSizeF(messageFont.pointSizeF() * 1.15);
    m_message->setFont(messageFont);
    m_message->setStyleSheet(QStringLiteral("color: %1;").arg(DiffColors::mutedText().name()));
    m_pages->addWidget(m_message);
    m_pages->addWidget(splitter);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(createHeader());
    layout->addWidget(m_busyBar);
    layout->addWidget(m_pages, 1);
    clear();
}

// The loader, a child, cancels and waits for the diff in flight.
DiffView::~DiffView() = default;

QWidget* DiffView::createHeader()
{
    auto* header = new QWidget;
    header->setObjectName(QStringLiteral("diffHeader"));
    header->setAutoFillBackground(true);
    auto* layout = new QHBoxLayout(header);
    layout->setContentsMargins(8, 4, 4, 4);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setObjectName(QStringLiteral("diffTitle"));
    m_summary->setObjectName(QStringLiteral("diffSummary"));
    m_summary->setTextFormat(Qt::RichText);
    layout->addWidget(m_title);
    layout->addSpacing(8);
    layout->addWidget(m_summary);
    layout->addStretch(1);

    m_previousButton->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Up));
    m_nextButton->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Down));
    connect(m_previousButton, &QToolButton::clicked, this, [this] { stepFile(-1); });
    connect(m_nextButton, &QToolButton::clicked, this, [this] { stepFile(+1); });
    layout->addWidget(m_previousButton);
    layout->addWidget(m_nextButton);
    layout->addSpacing(8);

    auto* group = new QButtonGroup(header);
    group->setExclusive(true);
    for (QToolButton* button : {m_unifiedButton, m_sideBySideButton}) {
        button->setCheckable(true);
        group->addButton(button);
        layout->addWidget(button);
    }
    m_unifiedButton->setChecked(true);
    connect(m_sideBySideButton, &QToolButton::toggled, this, &DiffView::setSideBySide);
    return header;
}

QWidget* DiffView::createBusyBar()
{
    auto* bar = new QWidget;
    bar->setObjectName(QStringLiteral("diffBusyBar"));
    auto* layout = new QHBoxLayout(bar);
    layout->setContentsMargins(8, 2, 8, 2);
    auto* label = new QLabel(tr("Computing diff…"));
    auto* progress = new QProgressBar;
    progress->setRange(0, 0); // no total is known: libgit2 does not report progress
    progress->setMaximumHeight(12);
    progress->setTextVisible(false);
    auto* cancelButton = new QPushButton(tr("Cancel"));
    cancelButton->setObjectName(QStringLiteral("cancelDiffButton"));
    connect(cancelButton, &QPushButton::clicked, this, &DiffView::cancel);
    layout->addWidget(label);
    layout->addWidget(progress, 1);
    layout->addWidget(cancelButton);
    bar->hide();
    return bar;
}

void DiffView::showDiff(const std::filesystem::path& repo, const std::string& oldCommit,
                        const std::string& newCommit, const QString& title)
{
    m_loader->cancel();
    m_title->setText(title);
    m_summary->clear();
    if (newCommit.empty()) {
        setBusy(false);
        showMessage(tr("This node has no code: its proposal failed before producing a commit"));
        return;
    }
    m_root = oldCommit.empty();
    m_loader->load(repo, oldCommit, newCommit);
    setBusy(true);
}

void DiffView::cancel()
{
    if (!m_busy)
        return;
    m_loader->cancel();
    setBusy(false);
    showMessage(tr("Diff cancelled"));
}

void DiffView::onDiffLoaded(const std::shared_ptr<const git::DiffResult>& result)
{
    setBusy(false);
    if (result->cancelled) {
        showMessage(tr("Diff cancelled"));
    } else if (!result->error.empty()) {
        showMessage(tr("Cannot compute the diff:\n%1").arg(QString::fromStdString(result->error)));
    } else if (result->files.empty()) {
        showMessage(m_root ? tr("Root node: it has no files")
                           : tr("No changes\n\nThis node's code is identical to the other's."));
        Q_EMIT diffShown(0);
    } else {
        showResult(result);
    }
}

void DiffView::showResult(std::shared_ptr<const git::DiffResult> result)
{
    m_result = std::move(result);
    m_model->setResult(m_result);
    const int files = static_cast<int>(m_result->files.size());
    m_summary->setText(
        (files == 1 ? tr("1 file changed") : tr("%1 files changed").arg(files)) +
        QStringLiteral("  <span style='color:%1'>+%2</span> <span style='color:%3'>−%4</span>")
            .arg(DiffColors::added().name())
            .arg(m_result->insertions)
            .arg(DiffColors::deleted().name())
            .arg(m_result->deletions));
    QStringList notes;
    if (m_root)
        notes << tr("Root node: showing its files");
    if (m_result->truncated)
        notes << tr("Large diff: some files are summarised or cut short");
    m_banner->setText(notes.join(QStringLiteral(" · ")));
    m_banner->setVisible(!notes.isEmpty());

    if (m_sideBySide)
        m_sideBySideView->setDiff(m_result);
    else
        m_unified->setDiff(m_result);
    m_pages->setCurrentIndex(1);
    m_previousButton->setEnabled(true);
    m_nextButton->setEnabled(true);
    m_syncingSelection = true;
    m_fileList->setCurrentIndex(m_model->index(0));
    m_syncingSelection = false;
    Q_EMIT diffShown(files);
}

void DiffView::showMessage(const QString& message)
{
    m_result.reset();
    m_model->clear();
    m_unified->setDiff(nullptr);
    m_sideBySideView->setDiff(nullptr);
    m_banner->hide();
    m_message->setText(message);
    m_pages->setCurrentIndex(0);
    m_previousButton->setEnabled(false);
    m_nextButton->setEnabled(false);
}

void DiffView::clear()
{
    m_loader->cancel();
    setBusy(false);
    m_title->clear();
    m_summary->clear();
    showMessage(tr("Select a node to see what it changed"));
}

void DiffView::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    if (busy) {
        m_busyDelay->start();
    } else {
        m_busyDelay->stop();
        m_busyBar->hide();
    }
    Q_EMIT busyChanged(busy);
}

void DiffView::setSideBySide(bool sideBySide)
{
    if (sideBySide != m_sideBySideButton->isChecked()) {
        (sideBySide ? m_sideBySideButton : m_unifiedButton)->setChecked(true);
        return; // the button's toggled signal calls back
    }
    if (sideBySide == m_sideBySide)
        return;
    m_sideBySide = sideBySide;
    const int file = m_fileList->currentIndex().row();
    // Each view is built only when first shown for a diff: most people never switch.
    if (sideBySide)
        m_sideBySideView->setDiff(m_result);
    else
        m_unified->setDiff(m_result);
    m_textStack->setCurrentIndex(sideBySide ? 1 : 0);
    if (file > 0)
        selectFile(file);
}

void DiffView::selectFile(int index)
{
    if (index < 0 || index >= m_model->rowCount())
        return;
    const QModelIndex modelIndex = m_model->index(index);
    if (m_fileList->currentIndex() == modelIndex)
        onCurrentFileChanged(modelIndex);
    else
        m_fileList->setCurrentIndex(modelIndex);
}

void DiffView::onCurrentFileChanged(const QModelIndex& current)
{
    if (m_syncingSelection || !current.isValid())
        return;
    if (m_sideBySide)
        m_sideBySideView->scrollToFile(current.row());
    else
        m_unified->scrollToFile(current.row());
}

void DiffView::onTopFileChanged(int fileIndex)
{
    if (fileIndex < 0 ||
        sender() != (m_sideBySide ? static_cast<QObject*>(m_sideBySideView) : m_unified))
        return;
    m_syncingSelection = true;
    m_fileList->setCurrentIndex(m_model->index(fileIndex));
    m_syncingSelection = false;
}

void DiffView::stepFile(int delta)
{
    const int count = m_model->rowCount();
    if (count == 0)
        return;
    const int row = std::clamp(m_fileList->currentIndex().row() + delta, 0, count - 1);
    selectFile(row);
}

} // namespace clade::ui
