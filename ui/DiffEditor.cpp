#include "ui/DiffEditor.h"

#include "models/DiffFileListModel.h"
#include "ui/CodeHighlighter.h"
#include "ui/DiffColors.h"
#include "ui/DiffGutter.h"

#include <QFontDatabase>
#include <QLocale>
#include <QPainter>
#include <QScrollBar>
#include <QTextBlock>

namespace clade::ui {
namespace {

using Kind = DiffBlockData::Kind;

const DiffBlockData* dataOf(const QTextBlock& block)
{
    return static_cast<const DiffBlockData*>(block.userData());
}

QString sizeText(std::int64_t bytes)
{
    return QLocale().formattedDataSize(bytes);
}

} // namespace

DiffEditor::DiffEditor(Side side, QWidget* parent)
    : QPlainTextEdit(parent), m_side(side), m_gutter(new DiffGutter(this)),
      m_highlighter(new CodeHighlighter(nullptr))
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setFrameShape(QFrame::NoFrame);
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setPointSizeF(std::max(font.pointSizeF(), 9.5));
    setFont(font);
    // A fixed light palette: the add/delete colours were chosen against white.
    QPalette colours = palette();
    colours.setColor(QPalette::Base, Qt::white);
    colours.setColor(QPalette::Text, DiffColors::text());
    setPalette(colours);
    m_highlighter->setParent(this);

    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect& rect, int dy) {
        if (dy != 0)
            m_gutter->scroll(0, dy);
        else
            m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
    });
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &DiffEditor::onScrolled);
    updateGutterWidth();
}

DiffEditor::~DiffEditor() = default;

void DiffEditor::beginBuild()
{
    // Highlighting once at the end is far cheaper than on every inserted block.
    m_highlighter->setDocument(nullptr);
    clear();
    m_fileBlocks.clear();
    m_maxLineNumber = 0;
    m_lastTopFile = -1;
    m_firstBlock = true;
    m_firstEmphasisBlock = -1;
    m_cursor = QTextCursor(document());
    m_cursor.beginEditBlock();
}

void DiffEditor::endBuild()
{
    m_cursor.endEditBlock();
    m_cursor = QTextCursor();
    m_highlighter->setDocument(document());
    updateGutterWidth();
    moveCursor(QTextCursor::Start);
    verticalScrollBar()->setValue(0);
    onScrolled();
    revealFirstEmphasis();
}

// Evolved code grows long lines; a change far to the right would otherwise be invisible
// until the reader thinks of scrolling sideways.
void DiffEditor::revealFirstEmphasis()
{
    horizontalScrollBar()->setValue(0);
    if (m_firstEmphasisBlock < 0)
        return;
    const QTextBlock block = document()->findBlockByNumber(m_firstEmphasisBlock);
    const int x = fontMetrics().horizontalAdvance(block.text().left(m_firstEmphasisColumn));
    const int visible = viewport()->width();
    if (x > visible * 3 / 4)
        horizontalScrollBar()->setValue(x - visible / 4);
}

void DiffEditor::appendBlock(DiffBlockData* data, const QString& text,
                             const QTextCharFormat& format)
{
    if (!m_firstBlock)
        m_cursor.insertBlock();
    m_firstBlock = false;
    QTextBlockFormat blockFormat;
    if (const QColor background = DiffColors::lineBackground(data->kind()); background.isValid())
        blockFormat.setBackground(background);
    m_cursor.setBlockFormat(blockFormat);
    m_cursor.setBlockCharFormat(format);
    m_cursor.insertText(text, format);
    m_cursor.block().setUserData(data);
    m_maxLineNumber = std::max({m_maxLineNumber, data->oldLine(), data->newLine()});
}

void DiffEditor::appendFileHeader(const git::DiffFile& file, int fileIndex)
{
    if (!m_firstBlock)
        appendBlock(new DiffBlockData(Kind::Spacer, fileIndex - 1), QString(), {});
    if (static_cast<int>(m_fileBlocks.size()) <= fileIndex)
        m_fileBlocks.resize(static_cast<std::size_t>(fileIndex) + 1, -1);
    m_fileBlocks[static_cast<std::size_t>(fileIndex)] = m_firstBlock ? 0 : document()->blockCount();

    QTextCharFormat pathFormat;
    pathFormat.setFontWeight(QFont::DemiBold);
    appendBlock(new DiffBlockData(Kind::FileHeader, fileIndex), QString(), pathFormat);
    QString path = QString::fromStdString(file.path);
    if (file.status == git::DiffFileStatus::Renamed || file.status == git::DiffFileStatus::Copied)
        path = QStringLiteral("%1 → %2").arg(QString::fromStdString(file.oldPath), path);
    m_cursor.insertText(QStringLiteral(" ") + path, pathFormat);

    QTextCharFormat muted;
    muted.setForeground(DiffColors::mutedText());
    m_cursor.insertText(QStringLiteral("   ") + models::DiffFileListModel::statusName(file.status),
                        muted);
    if (!file.binary && !file.tooLarge && (file.insertions > 0 || file.deletions > 0)) {
        QTextCharFormat added;
        added.setForeground(DiffColors::added());
        QTextCharFormat deleted;
        deleted.setForeground(DiffColors::deleted());
        m_cursor.insertText(QStringLiteral("   +%1").arg(file.insertions), added);
        m_cursor.insertText(QStringLiteral(" −%1").arg(file.deletions), deleted);
    }
}

void DiffEditor::appendHunkHeader(const git::DiffHunk& hunk, int fileIndex)
{
    QTextCharFormat format;
    format.setForeground(DiffColors::mutedText());
    appendBlock(new DiffBlockData(Kind::HunkHeader, fileIndex), QString::fromStdString(hunk.header),
                format);
}

void DiffEditor::appendCode(DiffBlockData::Kind kind, const QString& text, int oldLine, int newLine,
                            CodeLanguage language, int fileIndex,
                            const std::vector<models::TextSpan>& emphasis)
{
    appendBlock(new DiffBlockData(kind, fileIndex, oldLine, newLine, language), text, {});
    if (emphasis.empty())
        return;
    // Only the background: the syntax highlighter's colours still apply on top.
    QTextCharFormat marked;
    marked.setBackground(DiffColors::emphasis(kind));
    const int blockStart = m_cursor.block().position();
    if (m_firstEmphasisBlock < 0) {
        m_firstEmphasisBlock = m_cursor.block().blockNumber();
        m_firstEmphasisColumn = emphasis.front().start;
    }
    QTextCursor span(document());
    for (const models::TextSpan& s : emphasis) {
        span.setPosition(blockStart + s.start);
        span.setPosition(blockStart + s.start + s.length, QTextCursor::KeepAnchor);
        span.mergeCharFormat(marked);
    }
}

void DiffEditor::appendFiller(int fileIndex)
{
    appendBlock(new DiffBlockData(Kind::Filler, fileIndex), QString(), {});
}

void DiffEditor::appendNote(const QString& text, int fileIndex)
{
    QTextCharFormat format;
    format.setForeground(DiffColors::mutedText());
    format.setFontItalic(true);
    appendBlock(new DiffBlockData(Kind::Note, fileIndex), QStringLiteral("  ") + text, format);
}

bool DiffEditor::appendFileNote(const git::DiffFile& file, int fileIndex)
{
    if (file.binary) {
        appendNote(tr("Binary file (%1 → %2), not shown")
                       .arg(sizeText(file.oldSize), sizeText(file.newSize)),
                   fileIndex);
    } else if (file.tooLarge) {
        appendNote(
            tr("File too large to show (%1)").arg(sizeText(std::max(file.oldSize, file.newSize))),
            fileIndex);
    } else if (file.hunks.empty()) {
        appendNote(file.status == git::DiffFileStatus::Renamed
                       ? tr("Renamed without changes")
                       : tr("No line changes (empty file or mode change)"),
                   fileIndex);
    } else {
        return false;
    }
    return true;
}

void DiffEditor::scrollToFile(int fileIndex)
{
    if (fileIndex < 0 || fileIndex >= fileCount())
        return;
    const int block = m_fileBlocks[static_cast<std::size_t>(fileIndex)];
    if (block < 0)
        return;
    verticalScrollBar()->setValue(block);
    QTextCursor cursor(document()->findBlockByNumber(block));
    setTextCursor(cursor);
}

int DiffEditor::topFile() const
{
    const QTextBlock block = firstVisibleBlock();
    if (!block.isValid() || !block.userData())
        return -1;
    return dataOf(block)->fileIndex();
}

void DiffEditor::onScrolled()
{
    const int file = topFile();
    if (file != m_lastTopFile) {
        m_lastTopFile = file;
        Q_EMIT topFileChanged(file);
    }
}

int DiffEditor::gutterWidth() const
{
    const QFontMetrics metrics(font());
    const int digits = std::max(3, static_cast<int>(QString::number(m_maxLineNumber).size()));
    const int column = metrics.horizontalAdvance(QLatin1Char('9')) * digits + 12;
    const int sign = metrics.horizontalAdvance(QLatin1Char('+')) + 8;
    return (m_side == Side::Both ? 2 * column : column) + sign;
}

void DiffEditor::updateGutterWidth()
{
    setViewportMargins(gutterWidth(), 0, 0, 0);
    const QRect contents = contentsRect();
    m_gutter->setGeometry(QRect(contents.left(), contents.top(), gutterWidth(), contents.height()));
}

void DiffEditor::resizeEvent(QResizeEvent* event)
{
    QPlainTextEdit::resizeEvent(event);
    updateGutterWidth();
}

void DiffEditor::paintGutter(QWidget* gutter, QPaintEvent* event)
{
    QPainter painter(gutter);
    painter.fillRect(event->rect(), DiffColors::gutter());
    painter.setFont(font());
    const QFontMetrics metrics(font());
    const int digits = std::max(3, static_cast<int>(QString::number(m_maxLineNumber).size()));
    const int column = metrics.horizontalAdvance(QLatin1Char('9')) * digits + 12;
    const int width = gutter->width();

    QTextBlock block = firstVisibleBlock();
    qreal top = blockBoundingGeometry(block).translated(contentOffset()).top();
    while (block.isValid() && top <= event->rect().bottom()) {
        const qreal height = blockBoundingRect(block).height();
        const DiffBlockData* data = dataOf(block);
        if (data && top + height >= event->rect().top()) {
            const QRectF row(0, top, width, height);
            if (const QColor background = DiffColors::gutterBackground(data->kind());
                background != DiffColors::gutter())
                painter.fillRect(row, background);
            painter.setPen(DiffColors::gutterText());
            auto number = [&](int value, int x) {
                if (value > 0)
                    painter.drawText(QRectF(x, top, column - 8, height),
                                     Qt::AlignRight | Qt::AlignVCenter, QString::number(value));
            };
            if (m_side == Side::Both) {
                number(data->oldLine(), 0);
                number(data->newLine(), column);
            } else {
                number(m_side == Side::Old ? data->oldLine() : data->newLine(), 0);
            }
            if (data->kind() == Kind::Added || data->kind() == Kind::Deleted) {
                const bool added = data->kind() == Kind::Added;
                painter.setPen(added ? DiffColors::added() : DiffColors::deleted());
                painter.drawText(QRectF(width - metrics.horizontalAdvance(QLatin1Char('+')) - 6,
                                        top, metrics.horizontalAdvance(QLatin1Char('+')) + 4,
                                        height),
                                 Qt::AlignLeft | Qt::AlignVCenter,
                                 added ? QStringLiteral("+") : QStringLiteral("−"));
            }
        }
        block = block.next();
        top += height;
    }
    painter.setPen(DiffColors::border());
    painter.drawLine(width - 1, event->rect().top(), width - 1, event->rect().bottom());
}

} // namespace clade::ui
