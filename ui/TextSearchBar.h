#pragma once

#include <QTextCursor>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTimer;
class QToolButton;

namespace clade::ui {

/// Find-in-text for a read-only QPlainTextEdit: every match highlighted, the current one
/// stronger, next/previous (Enter / Shift+Enter), "3 of 12". Case-insensitive.
class TextSearchBar : public QWidget {
    Q_OBJECT

public:
    /// Highlights at most this many matches; counting stops there too ("1000+").
    static constexpr int MaxHighlights = 1000;

    explicit TextSearchBar(QPlainTextEdit* editor, QWidget* parent = nullptr);

    void setText(const QString& text);
    QString text() const;
    int matchCount() const { return m_matchCount; }
    /// Re-highlights after the text changed (coalesced: cheap to call on every append).
    void refresh();

public Q_SLOTS:
    void findNext();
    void findPrevious();

private:
    void find(bool backward);
    void highlightAll();
    void updateCountLabel();

    QPlainTextEdit* m_editor;
    QLineEdit* m_input;
    QLabel* m_count;
    QToolButton* m_previous;
    QToolButton* m_next;
    QTimer* m_refreshTimer;
    QTextCursor m_current;
    int m_matchCount = 0;
    int m_currentIndex = -1; ///< of m_current among all matches, -1 if unknown
};

} // namespace clade::ui
