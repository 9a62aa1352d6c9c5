#!/bin/sh
# A CI step: run a command; if it fails and its output shows Winsock errors,
# retry it (a flaky network, not a broken build), up to TRIES times in all.
#
#   examples/ci-retry-on-network-error.sh [-n TRIES] COMMAND [ARG]...
#
# Every attempt's output is shown annotated; a summary of the codes goes to
# stderr. Exit status: the command's last status.
set -u
usage() { echo "usage: $0 [-n TRIES] COMMAND [ARG]..." >&2; exit 2; }
tries=3
if [ "${1:-}" = "-n" ]; then
    [ $# -ge 2 ] || usage
    case $2 in
    '' | *[!0-9]* | 0) echo "$0: -n takes a number of tries from 1 up, not '$2'" >&2; usage ;;
    esac
    tries=$2
    shift 2
fi
[ $# -ge 1 ] || usage
log=$(mktemp) || exit 2
trap 'rm -f "$log"' EXIT
attempt=1
while :; do
    "$@" > "$log" 2>&1
    status=$?
    wsaerr --color=auto "$log"
    [ "$status" -eq 0 ] && exit 0
    # grep's convention: 0 = some line annotated, 1 = none, 2 = trouble
    wsaerr --only-annotated --summary < "$log" > /dev/null
    case $? in
    0) ;;
    1)
        echo "attempt $attempt failed (status $status), no network error in its output: not retrying" >&2
        exit "$status"
        ;;
    *)
        echo "attempt $attempt failed (status $status); wsaerr could not check its output: not retrying" >&2
        exit "$status"
        ;;
    esac
    if [ "$attempt" -ge "$tries" ]; then
        echo "attempt $attempt failed with network errors; giving up after $tries" >&2
        exit "$status"
    fi
    echo "attempt $attempt failed with network errors; retrying" >&2
    attempt=$((attempt + 1))
done
