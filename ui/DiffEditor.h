#pragma once

#include "engine/git/RunDiff.h"
#include "models/IntralineDiff.h"
#include "ui/DiffBlockData.h"

#include <QPlainTextEdit>
#include <QTextCursor>

#include <vector>

namespace clade::ui {

class CodeHighlighter;
class DiffGutter;

/// A read-only text surface for diffs: one block per line, each tagged with a
/// DiffBlockData, painted with add/delete backgrounds, syntax colours and a gutter of
/// line numbers. DiffTextView and SideBySideDiffView fill it between beginBuild() and
/// endBuild(); it knows nothing about how lines are paired.
class DiffEditor : public QPlainTextEdit {
    Q_OBJECT

public:
    /// Which line numbers the gutter shows.
    enum class Side { Both, Old, New };

    explicit DiffEditor(Side side, QWidget* parent = nullptr);
    ~DiffEditor() override;

    void beginBuild();
    void endBuild();
    /// A header naming the file, its status and counts. Starts file `fileIndex`.
    void appendFileHeader(const git::DiffFile& file, int fileIndex);
    void appendHunkHeader(const git::DiffHunk& hunk, int fileIndex);
    /// A line of code; `emphasis` marks the characters that changed against the line it
    /// replaces (or replaced), in a stronger shade of the line's colour.
    void appendCode(DiffBlockData::Kind kind, const QString& text, int oldLine, int newLine,
                    CodeLanguage language, int fileIndex,
                    const std::vector<models::TextSpan>& emphasis = {});
    /// An empty row that keeps the two sides of a side-by-side view aligned.
    void appendFiller(int fileIndex);
    /// A muted, italic line ("Binary file", "… 1,200 more lines not shown").
    void appendNote(const QString& text, int fileIndex);
    /// Notes for a file shown without lines (binary, too large, only renamed); false if
    /// the file has hunks to show instead.
    bool appendFileNote(const git::DiffFile& file, int fileIndex);

    /// Scrolls so that file `fileIndex`'s header is the first line.
    void scrollToFile(int fileIndex);
    /// The file whose lines are at the top of the viewport, -1 if none.
    int topFile() const;
    int fileCount() const { return static_cast<int>(m_fileBlocks.size()); }

    int gutterWidth() const;
    void paintGutter(QWidget* gutter, QPaintEvent* event);

Q_SIGNALS:
    /// The file at the top of the viewport changed by scrolling.
    void topFileChanged(int fileIndex);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void appendBlock(DiffBlockData* data, const QString& text, const QTextCharFormat& format);
    void revealFirstEmphasis();
    void updateGutterWidth();
    void onScrolled();

    Side m_side;
    DiffGutter* m_gutter;
    CodeHighlighter* m_highlighter;
    QTextCursor m_cursor;
    bool m_firstBlock = true;
    int m_maxLineNumber = 0;
    int m_lastTopFile = -1;
    std::vector<int> m_fileBlocks; ///< first block number of each file
    /// Where the first marked change starts (block number, column); -1 if none.
    int m_firstEmphasisBlock = -1;
    int m_firstEmphasisColumn = 0;
};

} // namespace clade::ui
