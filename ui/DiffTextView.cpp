#include "ui/DiffTextView.h"

#include "ui/CodeHighlighter.h"
#include "ui/DiffHunkWalk.h"

namespace clade::ui {

DiffTextView::DiffTextView(QWidget* parent) : DiffEditor(Side::Both, parent)
{
    setObjectName(QStringLiteral("unifiedDiff"));
}

void DiffTextView::setDiff(std::shared_ptr<const git::DiffResult> diff)
{
    if (diff == m_diff)
        return;
    m_diff = std::move(diff);
    beginBuild();
    if (m_diff) {
        for (std::size_t f = 0; f < m_diff->files.size(); ++f) {
            const git::DiffFile& file = m_diff->files[f];
            const int index = static_cast<int>(f);
            appendFileHeader(file, index);
            if (appendFileNote(file, index))
                continue;
            const CodeLanguage language =
                CodeHighlighter::languageForPath(QString::fromStdString(file.path));
            for (const git::DiffHunk& hunk : file.hunks) {
                appendHunkHeader(hunk, index);
                appendHunkLines(hunk.lines, language, index);
            }
            if (file.truncated)
                appendNote(tr("Diff cut short: the rest of this file is not shown"), index);
        }
    }
    endBuild();
}

void DiffTextView::appendHunkLines(const std::vector<git::DiffLine>& lines, CodeLanguage language,
                                   int fileIndex)
{
    using Kind = DiffBlockData::Kind;
    const auto context = [&](const git::DiffLine& line) {
        appendCode(Kind::Context, QString::fromStdString(line.text), line.oldLine, line.newLine,
                   language, fileIndex);
    };
    // The deletions, then the additions; lines that are edits of each other get what
    // changed marked.
    const auto changes = [&](const ChangeBlock& block) {
        std::vector<const std::vector<models::TextSpan>*> oldSpans(block.deleted.size(), nullptr);
        std::vector<const std::vector<models::TextSpan>*> newSpans(block.added.size(), nullptr);
        for (const models::LinePair& pair : block.pairs) {
            oldSpans[static_cast<size_t>(pair.deleted)] = &pair.changes.oldSpans;
            newSpans[static_cast<size_t>(pair.added)] = &pair.changes.newSpans;
        }
        static const std::vector<models::TextSpan> none;
        for (std::size_t r = 0; r < block.deleted.size(); ++r)
            appendCode(Kind::Deleted, block.oldTexts[r], block.deleted[r]->oldLine, -1, language,
                       fileIndex, oldSpans[r] ? *oldSpans[r] : none);
        for (std::size_t r = 0; r < block.added.size(); ++r)
            appendCode(Kind::Added, block.newTexts[r], -1, block.added[r]->newLine, language,
                       fileIndex, newSpans[r] ? *newSpans[r] : none);
    };
    walkHunk(lines, context, changes);
}

} // namespace clade::ui
