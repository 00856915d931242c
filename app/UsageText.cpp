#include "app/UsageText.h"

#include "app/ExitCode.h"
#include "app/VerbTable.h"

namespace clade::app {

namespace {

constexpr int kWidth = 100;
constexpr int kSummaryColumn = 41;
constexpr int kOptionIndent = 6;

/// Words in lines of at most kWidth columns. Lines start `indent` columns in; the first
/// one goes on after `line` (text already on it), when given.
QString wrap(const QStringList& words, int indent, QString line = {})
{
    const QString margin(indent, ' ');
    bool fresh = line.isEmpty();
    if (fresh)
        line = margin;
    QString text;
    for (const QString& word : words) {
        if (!fresh && line.size() + 1 + word.size() > kWidth) {
            text += line + '\n';
            line = margin;
            fresh = true;
        }
        line += (fresh ? QString() : QStringLiteral(" ")) + word;
        fresh = false;
    }
    return text + line + '\n';
}

QStringList optionWords(const VerbSpec& spec)
{
    QStringList words;
    for (const auto& o : spec.options)
        words << "[--" + o.name + (o.value.isFlag() ? QString() : ' ' + o.value.shown()) + ']';
    return words;
}

QString verbEntry(const Verb& verb)
{
    const VerbSpec spec = specOf(verb);
    const QStringList options = optionWords(spec);
    auto line = [&](const QStringList& inOptions) {
        QStringList words{"clade", verb.name};
        for (const QString& word : synopsisWords(spec))
            words << (word == "[options]" ? inOptions : QStringList{word});
        return words.join(' ');
    };
    // Short option lists stay on the verb's line, as a person would write them; long ones
    // get lines of their own below it.
    const bool fits = 2 + line(options).size() <= kWidth;
    const QString synopsis = "  " + line(fits ? options : QStringList{"[options]"});
    QString text;
    const QStringList summary = verb.summary.split(' ');
    if (synopsis.size() < kSummaryColumn - 1)
        text = wrap(summary, kSummaryColumn, synopsis.leftJustified(kSummaryColumn - 1));
    else
        text = synopsis + '\n' + wrap(summary, kSummaryColumn);
    if (!fits)
        text += wrap(options, kOptionIndent);
    return text;
}

} // namespace

QString usageText()
{
    QString text = "usage: clade [VERB [options]]\n\n";
    text += QString("  clade").leftJustified(kSummaryColumn) +
            "the explorer GUI: welcome page, recent runs\n";
    text += QString("  clade --version").leftJustified(kSummaryColumn) + "the version\n";
    for (const auto& verb : verbTable())
        text += verbEntry(verb);
    QStringList footer = QString("Every verb also takes -h/--help: `clade VERB --help` (or `clade "
                                 "help VERB`) says what its options mean. Exit status:")
                             .split(' ');
    for (const auto& [code, meaning] : kExitCodeMeanings)
        footer += (QString::number(code) + ' ' + meaning + ',').split(' ');
    footer.back().chop(1);
    footer.back() += '.';
    return text + '\n' + wrap(footer, 0);
}

} // namespace clade::app
