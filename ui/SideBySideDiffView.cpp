#include "ui/SideBySideDiffView.h"

#include "ui/CodeHighlighter.h"
#include "ui/DiffColors.h"
#include "ui/DiffEditor.h"
#include "ui/DiffHunkWalk.h"

#include <QHBoxLayout>
#include <QScrollBar>
#include <QSplitter>

namespace clade::ui {
namespace {

using Kind = DiffBlockData::Kind;

// Keeps two scroll bars at the same value; the equality check ends the ping-pong.
void syncScrollBars(QScrollBar* a, QScrollBar* b)
{
    QObject::connect(a, &QScrollBar::valueChanged, b, [b](int value) {
        if (b->value() != value)
            b->setValue(value);
    });
    QObject::connect(b, &QScrollBar::valueChanged, a, [a](int value) {
        if (a->value() != value)
            a->setValue(value);
    });
}

} // namespace

SideBySideDiffView::SideBySideDiffView(QWidget* parent)
    : QWidget(parent), m_old(new DiffEditor(DiffEditor::Side::Old)),
      m_new(new DiffEditor(DiffEditor::Side::New))
{
    setObjectName(QStringLiteral("sideBySideDiff"));
    m_old->setObjectName(QStringLiteral("oldSide"));
    m_new->setObjectName(QStringLiteral("newSide"));
    // One vertical scroll bar (the right one) is enough for two panes that move together.
    m_old->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    syncScrollBars(m_old->verticalScrollBar(), m_new->verticalScrollBar());
    syncScrollBars(m_old->horizontalScrollBar(), m_new->horizontalScrollBar());
    connect(m_new, &DiffEditor::topFileChanged, this, &SideBySideDiffView::topFileChanged);

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(m_old);
    splitter->addWidget(m_new);
    splitter->setHandleWidth(1);
    splitter->setStyleSheet(
        QStringLiteral("QSplitter::handle { background: %1; }").arg(DiffColors::border().name()));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
}

void SideBySideDiffView::setDiff(std::shared_ptr<const git::DiffResult> diff)
{
    if (diff == m_diff)
        return;
    m_diff = std::move(diff);
    m_old->beginBuild();
    m_new->beginBuild();
    if (m_diff) {
        for (std::size_t f = 0; f < m_diff->files.size(); ++f) {
            const git::DiffFile& file = m_diff->files[f];
            const int index = static_cast<int>(f);
            m_old->appendFileHeader(file, index);
            m_new->appendFileHeader(file, index);
            const bool noted = m_old->appendFileNote(file, index);
            m_new->appendFileNote(file, index);
            if (noted)
                continue;
            const CodeLanguage language =
                CodeHighlighter::languageForPath(QString::fromStdString(file.path));
            for (const git::DiffHunk& hunk : file.hunks)
                appendHunk(hunk, index, language);
            if (file.truncated) {
                m_old->appendNote(tr("Diff cut short"), index);
                m_new->appendNote(tr("Diff cut short"), index);
            }
        }
    }
    m_old->endBuild();
    m_new->endBuild();
}

void SideBySideDiffView::appendHunk(const git::DiffHunk& hunk, int fileIndex, CodeLanguage language)
{
    m_old->appendHunkHeader(hunk, fileIndex);
    m_new->appendHunkHeader(hunk, fileIndex);
    const auto context = [&](const git::DiffLine& line) {
        const QString text = QString::fromStdString(line.text);
        m_old->appendCode(Kind::Context, text, line.oldLine, -1, language, fileIndex);
        m_new->appendCode(Kind::Context, text, -1, line.newLine, language, fileIndex);
    };
    walkHunk(hunk.lines, context,
             [&](const ChangeBlock& block) { appendChangeBlock(block, fileIndex, language); });
}

void SideBySideDiffView::appendChangeBlock(const ChangeBlock& block, int fileIndex,
                                           CodeLanguage language)
{
    // Rows from deleted line `d` and added line `a` up to (not including) `toD`/`toA`,
    // facing each other in order, a filler where one side runs out.
    int d = 0, a = 0;
    const auto appendRows = [&](int toD, int toA, const models::LinePair* pair) {
        while (d < toD || a < toA) {
            const bool left = d < toD, right = a < toA;
            if (left)
                m_old->appendCode(Kind::Deleted, block.oldTexts[static_cast<size_t>(d)],
                                  block.deleted[static_cast<size_t>(d)]->oldLine, -1, language,
                                  fileIndex);
            else
                m_old->appendFiller(fileIndex);
            if (right)
                m_new->appendCode(Kind::Added, block.newTexts[static_cast<size_t>(a)], -1,
                                  block.added[static_cast<size_t>(a)]->newLine, language, fileIndex);
            else
                m_new->appendFiller(fileIndex);
            d += left;
            a += right;
        }
        if (!pair)
            return;
        // A line and its edit face each other, with what changed marked on both.
        m_old->appendCode(Kind::Deleted, block.oldTexts[static_cast<size_t>(d)],
                          block.deleted[static_cast<size_t>(d)]->oldLine, -1, language, fileIndex,
                          pair->changes.oldSpans);
        m_new->appendCode(Kind::Added, block.newTexts[static_cast<size_t>(a)], -1,
                          block.added[static_cast<size_t>(a)]->newLine, language, fileIndex,
                          pair->changes.newSpans);
        ++d;
        ++a;
    };
    for (const models::LinePair& pair : block.pairs)
        appendRows(pair.deleted, pair.added, &pair);
    appendRows(static_cast<int>(block.deleted.size()), static_cast<int>(block.added.size()), nullptr);
}

void SideBySideDiffView::scrollToFile(int fileIndex)
{
    m_new->scrollToFile(fileIndex);
    m_old->scrollToFile(fileIndex);
}

} // namespace clade::ui
