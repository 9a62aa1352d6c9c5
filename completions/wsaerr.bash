# bash completion for wsaerr (installed as share/bash-completion/completions/wsaerr)
_wsaerr()
{
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    case $prev in
        -p|--patterns)
            COMPREPLY=($(compgen -f -- "$cur"))
            return
            ;;
        -l|--lookup)
            COMPREPLY=($(compgen -W "$(wsaerr --list 2>/dev/null | cut -f2)" -- "${cur^^}"))
            return
            ;;
    esac
    case $cur in
        --color=*|--colour=*)
            COMPREPLY=($(compgen -W "auto always never" -- "${cur#*=}"))
            return
            ;;
        -*)
            COMPREPLY=($(compgen -W "--color= --json --only-annotated --summary --strip
                --line-buffered --patterns --no-jit --lookup --list --search --help --version
                -p -l -s -h -V" -- "$cur"))
            [[ ${COMPREPLY[0]:-} == *= ]] && compopt -o nospace
            return
            ;;
    esac
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _wsaerr wsaerr
