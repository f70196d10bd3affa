# bash completion for boxlogin (installed by `make install`).
_boxlogin()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd="" i
    local common="--env --base-url --config --cacert --timeout --user-code --email --no-keyring
                  --no-prewarm --no-history --log --read-only --help --version"
    local change="--env --base-url --config --cacert --timeout --user-code --no-keyring
                  --no-history --log --json --yes --dry-run --read-only"
    local api="--env --base-url --config --cacert --timeout --user-code --no-keyring
               --no-history --log --json"

    case $prev in
    --env)
        COMPREPLY=($(compgen -W "test prod" -- "$cur"))
        return ;;
    --config | --cacert | --log)
        COMPREPLY=($(compgen -f -- "$cur"))
        return ;;
    --gender)
        COMPREPLY=($(compgen -W "M F" -- "$cur"))
        return ;;
    --base-url | --timeout | --user-code | --email | --from | --to | --limit | --concurrency | \
    --first-name | --last-name | --identity-number | --tax-number | --birth-date | --line1 | \
    --neighborhood | --locality | --zip | --country | --state | --city | --city-code | --home | --mobile)
        return ;;
    esac
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        login | keys | forget | setup | profile | shipments | track | lookup | history | check | \
        set-password | set-email | set-type | set-details | set-address | places)
            cmd=${COMP_WORDS[i]}; break ;;
        esac
    done
    case $cmd in
    login) COMPREPLY=($(compgen -W "$common --password-stdin --json --show-key" -- "$cur")) ;;
    profile) COMPREPLY=($(compgen -W "$api --password-stdin" -- "$cur")) ;;
    shipments) COMPREPLY=($(compgen -W "$api --password-stdin --from --to --csv" -- "$cur")) ;;
    track) COMPREPLY=($(compgen -W "$api --password-stdin" -- "$cur")) ;;
    lookup) COMPREPLY=($(compgen -W "$api --show-key" -- "$cur")) ;;
    history) COMPREPLY=($(compgen -W "--json --csv --limit" -- "$cur")) ;;
    check) COMPREPLY=($(compgen -W "$api --csv --concurrency" -f -- "$cur")) ;;
    set-password) COMPREPLY=($(compgen -W "$change --generate --new-password-stdin" -- "$cur")) ;;
    set-email) COMPREPLY=($(compgen -W "$change" -- "$cur")) ;;
    set-type) COMPREPLY=($(compgen -W "$change --vip --no-vip --business --no-business" -- "$cur")) ;;
    set-details)
        COMPREPLY=($(compgen -W "$change --first-name --last-name --identity-number --tax-number
                                 --birth-date --gender" -- "$cur")) ;;
    set-address)
        COMPREPLY=($(compgen -W "$change --line1 --neighborhood --locality --zip --country --state
                                 --city --city-code --home --mobile --no-home --no-mobile" -- "$cur")) ;;
    places) COMPREPLY=($(compgen -W "$api" -- "$cur")) ;;
    keys) COMPREPLY=($(compgen -W "--json --env" -- "$cur")) ;;
    forget) COMPREPLY=($(compgen -W "--all --env" -- "$cur")) ;;
    setup) COMPREPLY=($(compgen -W "--env --config" -- "$cur")) ;;
    *)
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$common" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "login profile shipments track lookup check history
                                      set-password set-email set-type set-details set-address
                                      places keys forget setup" -- "$cur"))
        fi ;;
    esac
}
complete -F _boxlogin boxlogin
