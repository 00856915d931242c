#include "ui/DiffTextView.h"

#include "ui/CodeHighlighter.h"

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
    std::size_t i = 0;
    while (i < lines.size()) {
        if (lines[i].kind == git::DiffLineKind::Context) {
            appendCode(Kind::Context, QString::fromStdString(lines[i].text), lines[i].oldLine,
                       lines[i].newLine, language, fileIndex);
            ++i;
            continue;
        }
        // A change block: its deletions, then its additions. Lines that are edits of each
        // other get what changed marked.
        const std::size_t firstDeleted = i;
        while (i < lines.size() && lines[i].kind == git::DiffLineKind::Deleted)
            ++i;
        const std::size_t firstAdded = i;
        while (i < lines.size() && lines[i].kind == git::DiffLineKind::Added)
            ++i;
        std::vector<QString> oldTexts, newTexts;
        for (std::size_t k = firstDeleted; k < firstAdded; ++k)
            oldTexts.push_back(QString::fromStdString(lines[k].text));
        for (std::size_t k = firstAdded; k < i; ++k)
            newTexts.push_back(QString::fromStdString(lines[k].text));
        const std::vector<models::LinePair> pairs = models::pairSimilarLines(oldTexts, newTexts);
        std::vector<const std::vector<models::TextSpan>*> oldSpans(oldTexts.size(), nullptr);
        std::vector<const std::vector<models::TextSpan>*> newSpans(newTexts.size(), nullptr);
        for (const models::LinePair& pair : pairs) {
            oldSpans[static_cast<size_t>(pair.deleted)] = &pair.changes.oldSpans;
            newSpans[static_cast<size_t>(pair.added)] = &pair.changes.newSpans;
        }
        static const std::vector<models::TextSpan> none;
        for (std::size_t r = 0; r < oldTexts.size(); ++r)
            appendCode(Kind::Deleted, oldTexts[r], lines[firstDeleted + r].oldLine, -1, language,
                       fileIndex, oldSpans[r] ? *oldSpans[r] : none);
        for (std::size_t r = 0; r < newTexts.size(); ++r)
            appendCode(Kind::Added, newTexts[r], -1, lines[firstAdded + r].newLine, language,
                       fileIndex, newSpans[r] ? *newSpans[r] : none);
    }
}

} // namespace clade::ui
