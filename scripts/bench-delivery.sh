#!/usr/bin/env bash
# Delivery benchmark (issue 15): Essaim against Postfix -> LMTP -> Dovecot on the same machine, runs interleaved.
# Per round and per server, on a fresh instance each:
#   - 2 000 x 4 KB by smtp-source over 8 sessions (fresh instance)
#   - 2 000 x 4 KB over 1 session (now warm)
#   - 20 x 1 MB over 8 sessions
#   - disk used per stored 4 KB message (data directory / Maildir growth over the 4 000 small messages)
#   - Essaim's resident memory after start and after the 4 KB runs
# "Delivered" means visible over IMAP (STATUS polled every 20 ms), not merely accepted by SMTP.
#
#   scripts/bench-delivery.sh [rounds]      (default 3; builds target/essaim.jar if missing)
#   ESSAIM_JAR=path            another Essaim jar than target/essaim.jar
#   BEFORE_JAR=path            also run this (older) Essaim jar in each round, reported as "before"
# Output: one line per measurement, then a summary with ranges and ratios; load average printed with each round.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
jar=${ESSAIM_JAR:-target/essaim.jar}
[ -f "$jar" ] || mvn -B -q -Pproduction -DskipTests package
bench=scripts/bench/mailbench.py
work=$(mktemp -d /tmp/essaim-bench-delivery.XXXXXX)
chmod 755 "$work"   # Postfix and Dovecot drop privileges and must reach their directories inside
results="$work/results"
trap 'scripts/baseline-postfix-dovecot.sh stop "$work/baseline" || true; scripts/bench/essaim-instance.sh stop "$work/essaim" || true' EXIT

record() { echo "$1 $2 $3" | tee -a "$results"; }   # server measurement value
value() { awk -v k="$1" '$1 == k { print $2 }'; }
kib() { du -sk "$1" | cut -f1; }
rss_mib() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }

run_rows() { # server smtp imaps user password disk_path [pid]
    local server=$1 smtp=$2 imaps=$3 user=$4 password=$5 disk=$6 pid=${7:-}
    local out before after
    [ -n "$pid" ] && record "$server" rss_after_start_mib "$(rss_mib "$pid")"
    before=$(kib "$disk")
    local cpu_before=0
    [ -n "$pid" ] && cpu_before=$(cpu_ms "$pid")
    out=$(python3 $bench deliver "$smtp" "$imaps" "$user" "$password" 2000 4096 8)
    record "$server" delivered_8_sessions_fresh "$(echo "$out" | value delivered_per_s)"
    [ -n "$pid" ] && record "$server" cpu_ms_per_message_fresh "$(( ($(cpu_ms "$pid") - cpu_before) / 2000 ))"
    [ -n "$pid" ] && cpu_before=$(cpu_ms "$pid")
    out=$(python3 $bench deliver "$smtp" "$imaps" "$user" "$password" 2000 4096 1)
    record "$server" delivered_1_session_warm "$(echo "$out" | value delivered_per_s)"
    [ -n "$pid" ] && record "$server" cpu_ms_per_message_warm "$(( ($(cpu_ms "$pid") - cpu_before) / 2000 ))"
    sync; sleep 2
    after=$(kib "$disk")
    record "$server" disk_kb_per_4kb_message "$(python3 -c "print(round(($after - $before) / 4000, 2))")"
    [ -n "$pid" ] && record "$server" rss_after_4000_mib "$(rss_mib "$pid")"
    out=$(python3 $bench deliver "$smtp" "$imaps" "$user" "$password" 20 1048576 8)
    record "$server" delivered_1mb_8_sessions "$(echo "$out" | value delivered_per_s)"
}

for round in $(seq 1 "$rounds"); do
    echo "round $round, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    rm -rf "$work/baseline"
    eval "$(scripts/baseline-postfix-dovecot.sh start "$work/baseline")"
    # the Maildir appears with the first message: measure the user's whole mail directory
    mkdir -p "$(dirname "$BASELINE_MAILDIR")"; chown nobody:nogroup "$(dirname "$BASELINE_MAILDIR")"
    run_rows baseline "$BASELINE_SMTP_PORT" "$BASELINE_IMAPS_PORT" "$BASELINE_USER" "$BASELINE_PASSWORD" "$(dirname "$BASELINE_MAILDIR")"
    scripts/baseline-postfix-dovecot.sh stop "$work/baseline"

    rm -rf "$work/essaim"
    eval "$(scripts/bench/essaim-instance.sh start "$work/essaim" "$jar")"
    run_rows essaim "$ESSAIM_SMTP_PORT" "$ESSAIM_IMAPS_PORT" "$ESSAIM_USER" "$ESSAIM_PASSWORD" "$ESSAIM_DATA" "$ESSAIM_PID"
    scripts/bench/essaim-instance.sh stop "$work/essaim"

    if [ -n "${BEFORE_JAR:-}" ]; then
        rm -rf "$work/essaim"
        eval "$(scripts/bench/essaim-instance.sh start "$work/essaim" "$BEFORE_JAR")"
        run_rows before "$ESSAIM_SMTP_PORT" "$ESSAIM_IMAPS_PORT" "$ESSAIM_USER" "$ESSAIM_PASSWORD" "$ESSAIM_DATA" "$ESSAIM_PID"
        scripts/bench/essaim-instance.sh stop "$work/essaim"
    fi
done

echo
echo "summary over $rounds rounds (min-max; ratio = median / baseline's median), load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 scripts/bench/summary.py "$results"
