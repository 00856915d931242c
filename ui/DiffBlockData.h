#pragma once

#include <QTextBlockUserData>

namespace clade::ui {

/// Languages CodeHighlighter knows; everything else is shown plain.
enum class CodeLanguage { Plain, Python, Cpp };

/// What one line of a rendered diff stands for. Attached to each QTextBlock so the gutter
/// can print line numbers and the highlighter knows which lines are code, in which
/// language, without parsing the text back.
class DiffBlockData : public QTextBlockUserData {
public:
    enum class Kind { FileHeader, HunkHeader, Context, Added, Deleted, Filler, Note, Spacer };

    DiffBlockData(Kind kind, int fileIndex, int oldLine = -1, int newLine = -1,
                  CodeLanguage language = CodeLanguage::Plain)
        : m_kind(kind), m_fileIndex(fileIndex), m_oldLine(oldLine), m_newLine(newLine),
          m_language(language)
    {
    }

    Kind kind() const { return m_kind; }
    int fileIndex() const { return m_fileIndex; }
    int oldLine() const { return m_oldLine; }
    int newLine() const { return m_newLine; }
    CodeLanguage language() const { return m_language; }
    bool isCode() const
    {
        return m_kind == Kind::Context || m_kind == Kind::Added || m_kind == Kind::Deleted;
    }

private:
    Kind m_kind;
    int m_fileIndex;
    int m_oldLine;
    int m_newLine;
    CodeLanguage m_language;
};

} // namespace clade::ui
