#include "app/BashCompletion.h"

#include "app/VerbTable.h"

namespace clade::app {

namespace {

// The part that does not depend on the verbs. _clade_spec and _clade_value, made from
// the verb table, say what a verb takes; this walks the words typed so far to find what
// the word under the cursor is (an option, an option's value, or the n-th positional).
// It needs no bash-completion helpers, so it also works where that package is missing.
constexpr const char* kDriver = R"BASH(
# $1: @dir, @file, @command, @text, or the words to offer.
_clade_offer()
{
    case $1 in
    @dir)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -d -- "$cur") ;;
    @file)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
    @command)
        mapfile -t COMPREPLY < <(compgen -c -- "$cur") ;;
    @text)
        COMPREPLY=() ;;
    *)
        mapfile -t COMPREPLY < <(compgen -W "$1" -- "$cur") ;;
    esac
}

_clade()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=
    (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}
    COMPREPLY=()
    if (( COMP_CWORD <= 1 )); then
        _clade_offer "$_clade_verbs --help --version"
        return
    fi
    local verb=${COMP_WORDS[1]} flags= valued= args=()
    _clade_spec "$verb" || return

    # An option's value: `--out DIR`, `--out=DIR` (bash splits the `=` off as a word of its
    # own unless COMP_WORDBREAKS lacks it) or `--out=DIR` in one word.
    local option=
    if [[ $cur == = && $prev == --* ]]; then
        option=$prev cur=
    elif [[ $prev == = ]] && (( COMP_CWORD > 2 )); then
        option=${COMP_WORDS[COMP_CWORD-2]}
    elif [[ $cur == --*=* ]]; then
        option=${cur%%=*} cur=${cur#*=}
    elif [[ $prev == --* && " $valued " == *" $prev "* ]]; then
        option=$prev
    fi
    if [[ -n $option ]]; then
        [[ " $valued " == *" $option "* ]] && _clade_value "$verb" "$option"
        return
    fi

    # Which positional the cursor is on: skip options and their values; after `--` every
    # word is positional.
    local i word n=0 dashdash=
    for (( i = 2; i < COMP_CWORD; i++ )); do
        word=${COMP_WORDS[i]}
        if [[ -n $dashdash ]]; then
            ((++n))
        elif [[ $word == -- ]]; then
            dashdash=1
        elif [[ $word == -* ]]; then
            if [[ $word != *=* && " $valued " == *" $word "* ]]; then
                ((++i))
                [[ ${COMP_WORDS[i]} == = ]] && ((++i))
            fi
        elif [[ $word != = ]]; then
            ((++n))
        fi
    done
    if [[ -z $dashdash && $cur == -* ]]; then
        _clade_offer "$flags $valued"
        return
    fi
    # A command's own arguments follow it: the last positional may be a command line.
    if (( n >= ${#args[@]} && ${#args[@]} > 0 )) && [[ ${args[-1]} == @command ]]; then
        _clade_offer @file
    elif (( n < ${#args[@]} )); then
        _clade_offer "${args[n]}"
    fi
}

complete -F _clade clade
)BASH";

/// How the script offers a value: @dir, @file, @command, @text, or the choices.
QString offer(const ValueSpec& value)
{
    switch (value.kind) {
    case ValueSpec::Kind::Dir:
        return "@dir";
    case ValueSpec::Kind::File:
        return "@file";
    case ValueSpec::Kind::Command:
        return "@command";
    case ValueSpec::Kind::Choice:
        return value.choices.join(' ');
    case ValueSpec::Kind::Text:
        break;
    }
    return "@text";
}

QString quoted(const QString& words)
{
    return '\'' + words + '\'';
}

QString specFunction()
{
    QString text = "# flags, options that take a value, and what each positional takes.\n"
                   "_clade_spec()\n{\n    case $1 in\n";
    for (const auto& verb : verbTable()) {
        const VerbSpec spec = specOf(verb);
        QStringList flags{"-h", "--help"}, valued, args;
        for (const auto& o : spec.options)
            (o.value.isFlag() ? flags : valued) << "--" + o.name;
        for (const auto& p : spec.positionals)
            args << quoted(offer(p.value));
        text += "    " + verb.name + ")\n";
        text += "        flags=" + quoted(flags.join(' ')) + "\n";
        text += "        valued=" + quoted(valued.join(' ')) + "\n";
        text += "        args=(" + args.join(' ') + ") ;;\n";
    }
    return text + "    *)\n        return 1 ;;\n    esac\n}\n";
}

QString valueFunction()
{
    QString text = "# $1 verb, $2 option: offers the option's values.\n"
                   "_clade_value()\n{\n    case \"$1 $2\" in\n";
    for (const auto& verb : verbTable())
        for (const auto& o : specOf(verb).options)
            if (!o.value.isFlag() && o.value.kind != ValueSpec::Kind::Text)
                text += "    " + quoted(verb.name + " --" + o.name) + ")\n        _clade_offer " +
                        quoted(offer(o.value)) + " ;;\n";
    return text + "    *)\n        _clade_offer @text ;;\n    esac\n}\n";
}

} // namespace

QString bashCompletion()
{
    QStringList verbs;
    for (const auto& verb : verbTable())
        verbs << verb.name;
    return "# bash completion for clade(1); generated by `clade help --bash-completion` from the\n"
           "# verbs' declarations.\n\n_clade_verbs=" +
           quoted(verbs.join(' ')) + "\n\n" + specFunction() + "\n" + valueFunction() + kDriver;
}

} // namespace clade::app
