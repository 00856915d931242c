#pragma once

#include "ui/DiffEditor.h"

#include <memory>

namespace clade::ui {

/// The unified diff: every file one after another, old and new line numbers side by side
/// in the gutter, deletions and additions interleaved as git prints them.
class DiffTextView : public DiffEditor {
    Q_OBJECT

public:
    explicit DiffTextView(QWidget* parent = nullptr);

    /// Renders `diff` (null clears). Cheap to call again with the same pointer.
    void setDiff(std::shared_ptr<const git::DiffResult> diff);
    const std::shared_ptr<const git::DiffResult>& diff() const { return m_diff; }

private:
    void appendHunkLines(const std::vector<git::DiffLine>& lines, CodeLanguage language,
                         int fileIndex);

    std::shared_ptr<const git::DiffResult> m_diff;
};

} // namespace clade::ui
