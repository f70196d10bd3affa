# bash completion for boxlogin (installed by `make install`).
_boxlogin()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd="" i
    local common="--env --base-url --config --cacert --timeout --user-code --email --no-keyring
                  --no-prewarm --log --help --version"

    case $prev in
    --env)
        COMPREPLY=($(compgen -W "test prod" -- "$cur"))
        return ;;
    --config | --cacert | --log)
        COMPREPLY=($(compgen -f -- "$cur"))
        return ;;
    --base-url | --timeout | --user-code | --email)
        return ;;
    esac
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        login | keys | forget | setup) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done
    case $cmd in
    login) COMPREPLY=($(compgen -W "$common --password-stdin --json --show-key" -- "$cur")) ;;
    keys) COMPREPLY=($(compgen -W "--json --env" -- "$cur")) ;;
    forget) COMPREPLY=($(compgen -W "--all --env" -- "$cur")) ;;
    setup) COMPREPLY=($(compgen -W "--env --config" -- "$cur")) ;;
    *)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$common" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "login keys forget setup" -- "$cur"))
        fi ;;
    esac
}
complete -F _boxlogin boxlogin
