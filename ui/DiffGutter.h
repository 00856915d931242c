#pragma once

#include <QWidget>

namespace clade::ui {

class DiffEditor;

/// The line-number margin of a DiffEditor. Owns no state: the editor knows the blocks and
/// paints the margin, this widget only gives it a place (as in Qt's code editor example).
class DiffGutter : public QWidget {
    Q_OBJECT

public:
    explicit DiffGutter(DiffEditor* editor);

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    DiffEditor* m_editor;
};

} // namespace clade::ui
