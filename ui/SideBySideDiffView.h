#pragma once

#include "engine/git/RunDiff.h"
#include "ui/DiffBlockData.h"

#include <QWidget>

#include <memory>

namespace clade::ui {

struct ChangeBlock;

class DiffEditor;

/// Old version on the left, new on the right, scrolled together. Within a hunk a run of
/// deletions is paired line by line with the additions that follow it; the shorter side
/// gets filler rows so unchanged lines stay level.
class SideBySideDiffView : public QWidget {
    Q_OBJECT

public:
    explicit SideBySideDiffView(QWidget* parent = nullptr);

    void setDiff(std::shared_ptr<const git::DiffResult> diff);
    const std::shared_ptr<const git::DiffResult>& diff() const { return m_diff; }
    void scrollToFile(int fileIndex);
    DiffEditor* oldSide() const { return m_old; }
    DiffEditor* newSide() const { return m_new; }

Q_SIGNALS:
    void topFileChanged(int fileIndex);

private:
    void appendHunk(const git::DiffHunk& hunk, int fileIndex, CodeLanguage language);
    /// One change block: lines that are edits of each other face each other, the rest
    /// fill the rows between in order.
    void appendChangeBlock(const ChangeBlock& block, int fileIndex, CodeLanguage language);

    std::shared_ptr<const git::DiffResult> m_diff;
    DiffEditor* m_old;
    DiffEditor* m_new;
};

} // namespace clade::ui
