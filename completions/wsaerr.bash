# bash completion for wsaerr (installed as share/bash-completion/completions/wsaerr)
_wsaerr()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} i
    # bash splits "--color=al" at "=" (COMP_WORDBREAKS): prev is "=", the option before it
    if [[ $cur == = ]]; then
        prev=${COMP_WORDS[COMP_CWORD-1]} cur=
    elif [[ $prev == = ]]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    fi
    case $prev in
        --color|--colour)
            if [[ ${COMP_WORDS[COMP_CWORD]} == = || ${COMP_WORDS[COMP_CWORD-1]} == = ]]; then
                COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
                return
            fi
            ;;
        --mmexternal)
            if [[ ${COMP_WORDS[COMP_CWORD]} == = || ${COMP_WORDS[COMP_CWORD-1]} == = ]]; then
                COMPREPLY=($(compgen -W "msg fulljson" -- "$cur"))
                return
            fi
            ;;
        -j|--threads)
            COMPREPLY=($(compgen -W "1 2 4 8" -- "$cur"))
            return
            ;;
        -p|--patterns)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -f -- "$cur"))
            return
            ;;
    esac
    # after --lookup, every operand is a code or name
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} == -l || ${COMP_WORDS[i]} == --lookup ]] && [[ $cur != -* ]]; then
            COMPREPLY=($(compgen -W "$(wsaerr --list 2>/dev/null | cut -f2)" -- "${cur^^}"))
            return
        fi
    done
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "--color= --json --only-annotated --with-filename --no-filename --line-number
            --summary --strip --line-buffered --patterns --no-jit --threads --mmexternal --lookup --list --search --help --version -p -j -l -s -h
            -V -H -n" -- "$cur"))
        [[ ${COMPREPLY[0]:-} == *= ]] && compopt -o nospace 2>/dev/null
        return
    fi
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -F _wsaerr wsaerr
