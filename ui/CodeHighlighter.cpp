#include "ui/CodeHighlighter.h"

#include <QFileInfo>

namespace clade::ui {
namespace {

bool isIdentifierStart(QChar c)
{
    return c.isLetter() || c == u'_';
}

bool isIdentifierPart(QChar c)
{
    return c.isLetterOrNumber() || c == u'_';
}

QSet<QString> words(const char* list)
{
    QSet<QString> set;
    for (const QString& word : QString::fromLatin1(list).split(u' ', Qt::SkipEmptyParts))
        set.insert(word);
    return set;
}

QTextCharFormat colourFormat(QColor colour, bool italic = false)
{
    QTextCharFormat f;
    f.setForeground(colour);
    f.setFontItalic(italic);
    return f;
}

} // namespace

CodeHighlighter::CodeHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document), m_keyword(colourFormat(QColor(0x0b, 0x3d, 0xb0))),
      m_type(colourFormat(QColor(0x00, 0x7a, 0x87))),
      m_string(colourFormat(QColor(0x0a, 0x6e, 0x1c))),
      m_comment(colourFormat(QColor(0x7a, 0x82, 0x8a), true)),
      m_number(colourFormat(QColor(0x16, 0x4f, 0xd8))),
      m_preprocessor(colourFormat(QColor(0x8a, 0x5a, 0x00))),
      m_definition(colourFormat(QColor(0x6f, 0x2d, 0xa8))),
      m_pythonKeywords(words("False None True and as assert async await break class continue "
                             "def del elif else except finally for from global if import in is "
                             "lambda nonlocal not or pass raise return try while with yield "
                             "match case self cls")),
      m_pythonBuiltins(words("abs all any bool bytes dict enumerate filter float format "
                             "getattr hasattr int isinstance len list map max min next object "
                             "open print range repr reversed set sorted str sum super tuple "
                             "type zip Exception ValueError TypeError KeyError")),
      m_cppKeywords(words("alignas alignof asm break case catch class co_await co_return "
                          "co_yield concept const consteval constexpr constinit const_cast "
                          "continue decltype default delete do dynamic_cast else enum explicit "
                          "export extern false final for friend goto if inline mutable "
                          "namespace new noexcept nullptr operator override private protected "
                          "public register reinterpret_cast requires return sizeof static "
                          "static_assert static_cast struct switch template this thread_local "
                          "throw true try typedef typeid typename union using virtual volatile "
                          "while NULL")),
      m_cppTypes(words("auto bool char char8_t char16_t char32_t double float int long short "
                       "signed unsigned void wchar_t size_t ssize_t int8_t int16_t int32_t "
                       "int64_t uint8_t uint16_t uint32_t uint64_t std string vector map "
                       "unique_ptr shared_ptr optional"))
{
}

CodeLanguage CodeHighlighter::languageForPath(const QString& path)
{
    static const QSet<QString> cpp = words("c h cc cpp cxx c++ hh hpp hxx h++ inl ipp cu cuh");
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"py" || suffix == u"pyi")
        return CodeLanguage::Python;
    if (cpp.contains(suffix))
        return CodeLanguage::Cpp;
    return CodeLanguage::Plain;
}

void CodeHighlighter::highlightBlock(const QString& text)
{
    CodeLanguage language = m_defaultLanguage;
    if (const auto* data = dynamic_cast<const DiffBlockData*>(currentBlockUserData())) {
        if (!data->isCode()) {
            setCurrentBlockState(Normal); // a header ends any open comment or string
            return;
        }
        language = data->language();
    }
    setCurrentBlockState(Normal);
    if (language == CodeLanguage::Python)
        highlightPython(text);
    else if (language == CodeLanguage::Cpp)
        highlightCpp(text);
}

int CodeHighlighter::scanQuoted(const QString& text, int start, QChar quote)
{
    int i = start + 1;
    while (i < text.size()) {
        if (text[i] == u'\\') {
            i += 2;
            continue;
        }
        if (text[i] == quote) {
            setFormat(start, i + 1 - start, m_string);
            return i + 1;
        }
        ++i;
    }
    setFormat(start, text.size() - start, m_string);
    return -1;
}

int CodeHighlighter::scanNumber(const QString& text, int start)
{
    int i = start;
    while (i < text.size()) {
        const QChar c = text[i];
        const bool exponentSign =
            (c == u'+' || c == u'-') && i > start && (text[i - 1] == u'e' || text[i - 1] == u'E') &&
            !text.mid(start, 2).startsWith(QLatin1String("0x"), Qt::CaseInsensitive);
        if (!(isIdentifierPart(c) || c == u'.' || c == u'\'' || exponentSign))
            break;
        ++i;
    }
    setFormat(start, i - start, m_number);
    return i;
}

void CodeHighlighter::highlightPython(const QString& text)
{
    int i = 0;
    const int previous = previousBlockState();
    if (previous == InTripleSingle || previous == InTripleDouble) {
        const QString closing =
            previous == InTripleSingle ? QStringLiteral("'''") : QStringLiteral("\"\"\"");
        const int end = text.indexOf(closing);
        if (end < 0) {
            setFormat(0, text.size(), m_string);
            setCurrentBlockState(previous);
            return;
        }
        setFormat(0, end + 3, m_string);
        i = end + 3;
    }
    bool expectDefinition = false;
    while (i < text.size()) {
        const QChar c = text[i];
        if (c == u'#') {
            setFormat(i, text.size() - i, m_comment);
            return;
        }
        if (c == u'\'' || c == u'"') {
            const QString triple(3, c);
            if (text.mid(i, 3) == triple) {
                const int end = text.indexOf(triple, i + 3);
                if (end < 0) {
                    setFormat(i, text.size() - i, m_string);
                    setCurrentBlockState(c == u'\'' ? InTripleSingle : InTripleDouble);
                    return;
                }
                setFormat(i, end + 3 - i, m_string);
                i = end + 3;
                continue;
            }
            const int end = scanQuoted(text, i, c);
            if (end < 0)
                return;
            i = end;
            continue;
        }
        if (c.isDigit() || (c == u'.' && i + 1 < text.size() && text[i + 1].isDigit())) {
            i = scanNumber(text, i);
            continue;
        }
        if (c == u'@' && text.left(i).trimmed().isEmpty()) {
            int end = i + 1;
            while (end < text.size() && (isIdentifierPart(text[end]) || text[end] == u'.'))
                ++end;
            setFormat(i, end - i, m_preprocessor);
            i = end;
            continue;
        }
        if (isIdentifierStart(c)) {
            int end = i + 1;
            while (end < text.size() && isIdentifierPart(text[end]))
                ++end;
            const QString word = text.mid(i, end - i);
            // String prefixes (r"", b'', f"...") belong to the string.
            if (end < text.size() && (text[end] == u'\'' || text[end] == u'"') &&
                word.size() <= 2 && QStringLiteral("rRbBfFuU").contains(word[0])) {
                setFormat(i, end - i, m_string);
                i = end;
                continue;
            }
            if (expectDefinition)
                setFormat(i, end - i, m_definition);
            else if (m_pythonKeywords.contains(word))
                setFormat(i, end - i, m_keyword);
            else if (m_pythonBuiltins.contains(word))
                setFormat(i, end - i, m_type);
            expectDefinition = word == u"def" || word == u"class";
            i = end;
            continue;
        }
        ++i;
    }
}

void CodeHighlighter::highlightCpp(const QString& text)
{
    int i = 0;
    if (previousBlockState() == InBlockComment) {
        const int end = text.indexOf(QLatin1String("*/"));
        if (end < 0) {
            setFormat(0, text.size(), m_comment);
            setCurrentBlockState(InBlockComment);
            return;
        }
        setFormat(0, end + 2, m_comment);
        i = end + 2;
    }
    const bool preprocessor = text.trimmed().startsWith(u'#');
    while (i < text.size()) {
        const QChar c = text[i];
        if (c == u'/' && i + 1 < text.size() && text[i + 1] == u'/') {
            setFormat(i, text.size() - i, m_comment);
            return;
        }
        if (c == u'/' && i + 1 < text.size() && text[i + 1] == u'*') {
            const int end = text.indexOf(QLatin1String("*/"), i + 2);
            if (end < 0) {
                setFormat(i, text.size() - i, m_comment);
                setCurrentBlockState(InBlockComment);
                return;
            }
            setFormat(i, end + 2 - i, m_comment);
            i = end + 2;
            continue;
        }
        if (c == u'"' || c == u'\'') {
            const int end = scanQuoted(text, i, c);
            if (end < 0)
                return;
            i = end;
            continue;
        }
        if (preprocessor && c == u'<' && text.contains(QLatin1String("include"))) {
            const int end = text.indexOf(u'>', i);
            if (end > i) {
                setFormat(i, end + 1 - i, m_string);
                i = end + 1;
                continue;
            }
        }
        if (c == u'#' && preprocessor) {
            int end = i + 1;
            while (end < text.size() && (text[end].isSpace() || isIdentifierPart(text[end])) &&
                   !(end > i + 1 && text[end].isSpace() && isIdentifierPart(text[end - 1])))
                ++end;
            setFormat(i, end - i, m_preprocessor);
            i = end;
            continue;
        }
        if (c.isDigit() || (c == u'.' && i + 1 < text.size() && text[i + 1].isDigit())) {
            i = scanNumber(text, i);
            continue;
        }
        if (isIdentifierStart(c)) {
            int end = i + 1;
            while (end < text.size() && isIdentifierPart(text[end]))
                ++end;
            const QString word = text.mid(i, end - i);
            if (m_cppKeywords.contains(word))
                setFormat(i, end - i, m_keyword);
            else if (m_cppTypes.contains(word))
                setFormat(i, end - i, m_type);
            i = end;
            continue;
        }
        ++i;
    }
}

} // namespace clade::ui
