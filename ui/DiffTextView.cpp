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
                for (const git::DiffLine& line : hunk.lines) {
                    const auto kind =
                        line.kind == git::DiffLineKind::Added     ? DiffBlockData::Kind::Added
                        : line.kind == git::DiffLineKind::Deleted ? DiffBlockData::Kind::Deleted
                                                                  : DiffBlockData::Kind::Context;
                    appendCode(kind, QString::fromStdString(line.text), line.oldLine, line.newLine,
                               language, index);
                }
            }
            if (file.truncated)
                appendNote(tr("Diff cut short: the rest of this file is not shown"), index);
        }
    }
    endBuild();
}

} // namespace clade::ui
