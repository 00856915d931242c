#pragma once

#include "ui/DiffBlockData.h"

#include <QSet>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace clade::ui {

/// Colours Python and C/C++ code: keywords, built-in types, strings, comments, numbers,
/// preprocessor lines and decorators. A small hand-written scanner rather than regular
/// expressions, so a '#' inside a string is not a comment and a comment's quote does not
/// open a string. Multi-line strings and block comments carry over through block states.
///
/// In a diff document each block says its language (DiffBlockData); headers and notes
/// are left alone. Blocks without data use defaultLanguage().
class CodeHighlighter : public QSyntaxHighlighter {
    Q_OBJECT

public:
    explicit CodeHighlighter(QTextDocument* document);

    void setDefaultLanguage(CodeLanguage language) { m_defaultLanguage = language; }
    CodeLanguage defaultLanguage() const { return m_defaultLanguage; }

    /// By file name: .py/.pyi is Python; .c/.h/.cc/.cpp/.cxx/.hh/.hpp/.hxx/.inl is C/C++.
    static CodeLanguage languageForPath(const QString& path);

protected:
    void highlightBlock(const QString& text) override;

private:
    enum State { Normal = 0, InBlockComment = 1, InTripleSingle = 2, InTripleDouble = 3 };

    void highlightPython(const QString& text);
    void highlightCpp(const QString& text);
    /// Colours a quoted string starting at `start`; returns the index after it, or -1 if
    /// it runs past the end of the line (the caller decides what that means).
    int scanQuoted(const QString& text, int start, QChar quote);
    int scanNumber(const QString& text, int start);

    CodeLanguage m_defaultLanguage = CodeLanguage::Plain;
    QTextCharFormat m_keyword;
    QTextCharFormat m_type;
    QTextCharFormat m_string;
    QTextCharFormat m_comment;
    QTextCharFormat m_number;
    QTextCharFormat m_preprocessor;
    QTextCharFormat m_definition;
    QSet<QString> m_pythonKeywords;
    QSet<QString> m_pythonBuiltins;
    QSet<QString> m_cppKeywords;
    QSet<QString> m_cppTypes;
};

} // namespace clade::ui
