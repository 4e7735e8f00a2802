#!/bin/sh
# The browser code's unit tests (node --test frontend/), run beside the Java tests instead of after them
# (docs/frontend-tests.md). Maven calls `start` before surefire and `report` after it:
#   start   installs the runtime npm packages if node_modules lacks them (a build that reused the committed bundle ran
#           no npm install), then runs the tests, in the background; returns at once
#   report  waits for them, prints their output and exits with their status (runs them itself if `start` did not)
set -u
cd "$(dirname "$0")/.."
dir=target/frontend-unit-tests

run() {
    if [ ! -d node_modules/linkedom ]; then
        npm install --omit=dev --no-audit --no-fund --ignore-scripts --loglevel=error || return 1
    fi
    node --test --test-reporter=spec frontend/
}

case "${1:-}" in
start)
    rm -rf "$dir" && mkdir -p "$dir"
    (run; echo $? > "$dir/status") > "$dir/output.txt" 2>&1 < /dev/null &
    echo $! > "$dir/pid"
    ;;
report)
    [ -f "$dir/pid" ] || "$0" start
    while kill -0 "$(cat "$dir/pid")" 2>/dev/null; do
        sleep 0.2
    done
    cat "$dir/output.txt"
    if [ ! -f "$dir/status" ]; then
        echo "frontend unit tests: ended without a status (killed?)" >&2
        exit 1
    fi
    exit "$(cat "$dir/status")"
    ;;
*)
    echo "usage: $0 start|report" >&2
    exit 2
    ;;
esac
