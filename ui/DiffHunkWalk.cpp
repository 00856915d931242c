#include "ui/DiffHunkWalk.h"

namespace clade::ui {

void walkHunk(const std::vector<git::DiffLine>& lines,
              const std::function<void(const git::DiffLine&)>& context,
              const std::function<void(const ChangeBlock&)>& changes)
{
    std::size_t i = 0;
    while (i < lines.size()) {
        if (lines[i].kind == git::DiffLineKind::Context) {
            context(lines[i++]);
            continue;
        }
        ChangeBlock block;
        for (; i < lines.size() && lines[i].kind == git::DiffLineKind::Deleted; ++i) {
            block.deleted.push_back(&lines[i]);
            block.oldTexts.push_back(QString::fromStdString(lines[i].text));
        }
        for (; i < lines.size() && lines[i].kind == git::DiffLineKind::Added; ++i) {
            block.added.push_back(&lines[i]);
            block.newTexts.push_back(QString::fromStdString(lines[i].text));
        }
        block.pairs = models::pairSimilarLines(block.oldTexts, block.newTexts);
        changes(block);
    }
}

} // namespace clade::ui
