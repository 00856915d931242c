#include "ui/DiffGutter.h"

#include "ui/DiffEditor.h"

namespace clade::ui {

DiffGutter::DiffGutter(DiffEditor* editor) : QWidget(editor), m_editor(editor) {}

QSize DiffGutter::sizeHint() const
{
    return {m_editor->gutterWidth(), 0};
}

void DiffGutter::paintEvent(QPaintEvent* event)
{
    m_editor->paintGutter(this, event);
}

} // namespace clade::ui
