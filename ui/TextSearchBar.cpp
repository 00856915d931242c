#include "ui/TextSearchBar.h"

#include <QGuiApplication>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QShortcut>
#include <QTextDocument>
#include <QTimer>
#include <QToolButton>

namespace clade::ui {
namespace {

QColor allMatches()
{
    return QColor(0xff, 0xf1, 0xa8);
}

QColor currentMatch()
{
    return QColor(0xff, 0xb8, 0x4d);
}

} // namespace

TextSearchBar::TextSearchBar(QPlainTextEdit* editor, QWidget* parent)
    : QWidget(parent), m_editor(editor), m_input(new QLineEdit), m_count(new QLabel),
      m_previous(new QToolButton), m_next(new QToolButton), m_refreshTimer(new QTimer(this))
{
    m_input->setObjectName(QStringLiteral("searchInput"));
    m_input->setPlaceholderText(tr("Search log"));
    m_input->setClearButtonEnabled(true);
    m_input->setMinimumWidth(180);
    m_count->setObjectName(QStringLiteral("searchCount"));
    m_count->setMinimumWidth(70);
    m_previous->setObjectName(QStringLiteral("searchPrevious"));
    m_previous->setText(QStringLiteral("▲"));
    m_previous->setToolTip(tr("Previous match (Shift+Enter)"));
    m_previous->setAutoRaise(true);
    m_next->setObjectName(QStringLiteral("searchNext"));
    m_next->setText(QStringLiteral("▼"));
    m_next->setToolTip(tr("Next match (Enter)"));
    m_next->setAutoRaise(true);

    // Large logs: re-scanning on every appended chunk would stall the GUI thread.
    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(150);
    connect(m_refreshTimer, &QTimer::timeout, this, &TextSearchBar::highlightAll);

    connect(m_input, &QLineEdit::textChanged, this, [this] {
        m_current = QTextCursor();
        highlightAll();
        if (!m_input->text().isEmpty())
            findNext();
    });
    connect(m_input, &QLineEdit::returnPressed, this, [this] {
        if (QGuiApplication::keyboardModifiers() & Qt::ShiftModifier)
            findPrevious();
        else
            findNext();
    });
    connect(m_previous, &QToolButton::clicked, this, &TextSearchBar::findPrevious);
    connect(m_next, &QToolButton::clicked, this, &TextSearchBar::findNext);
    auto* focus = new QShortcut(QKeySequence::Find, editor);
    focus->setContext(Qt::WidgetWithChildrenShortcut);
    connect(focus, &QShortcut::activated, this, [this] {
        m_input->setFocus();
        m_input->selectAll();
    });

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_input);
    layout->addWidget(m_previous);
    layout->addWidget(m_next);
    layout->addWidget(m_count);
    updateCountLabel();
}

void TextSearchBar::setText(const QString& text)
{
    m_input->setText(text);
}

QString TextSearchBar::text() const
{
    return m_input->text();
}

void TextSearchBar::refresh()
{
    if (!m_input->text().isEmpty())
        m_refreshTimer->start();
}

void TextSearchBar::findNext()
{
    find(false);
}

void TextSearchBar::findPrevious()
{
    find(true);
}

void TextSearchBar::find(bool backward)
{
    const QString needle = m_input->text();
    if (needle.isEmpty())
        return;
    QTextDocument* document = m_editor->document();
    QTextDocument::FindFlags flags;
    if (backward)
        flags |= QTextDocument::FindBackward;
    QTextCursor from = m_current.isNull() ? m_editor->textCursor() : m_current;
    QTextCursor found = document->find(needle, from, flags);
    if (found.isNull()) { // wrap around
        QTextCursor edge(document);
        edge.movePosition(backward ? QTextCursor::End : QTextCursor::Start);
        found = document->find(needle, edge, flags);
    }
    m_current = found;
    if (!found.isNull()) {
        m_editor->setTextCursor(found);
        m_editor->centerCursor();
    }
    highlightAll();
}

void TextSearchBar::highlightAll()
{
    QList<QTextEdit::ExtraSelection> selections;
    const QString needle = m_input->text();
    m_matchCount = 0;
    m_currentIndex = -1;
    if (!needle.isEmpty()) {
        QTextDocument* document = m_editor->document();
        QTextCursor cursor(document);
        while (m_matchCount <= MaxHighlights) {
            cursor = document->find(needle, cursor);
            if (cursor.isNull())
                break;
            if (!m_current.isNull() && cursor.selectionStart() == m_current.selectionStart())
                m_currentIndex = m_matchCount;
            ++m_matchCount;
            QTextEdit::ExtraSelection selection;
            selection.cursor = cursor;
            selection.format.setBackground(m_currentIndex == m_matchCount - 1 ? currentMatch()
                                                                              : allMatches());
            selections.append(selection);
        }
    }
    m_editor->setExtraSelections(selections);
    updateCountLabel();
}

void TextSearchBar::updateCountLabel()
{
    const bool searching = !m_input->text().isEmpty();
    m_previous->setEnabled(searching && m_matchCount > 0);
    m_next->setEnabled(searching && m_matchCount > 0);
    if (!searching) {
        m_count->clear();
        return;
    }
    if (m_matchCount == 0) {
        m_count->setText(tr("no match"));
        return;
    }
    const QString total = m_matchCount > MaxHighlights ? QStringLiteral("%1+").arg(MaxHighlights)
                                                       : QString::number(m_matchCount);
    m_count->setText(m_currentIndex >= 0 ? tr("%1 of %2").arg(m_currentIndex + 1).arg(total)
                                         : tr("%1 matches").arg(total));
}

} // namespace clade::ui
