#!/usr/bin/env bash
# IMAP benchmark (issue 15): Essaim against Postfix -> LMTP -> Dovecot (IMAPS both), runs interleaved.
# Per round and per server, on a fresh instance each (mail delivered by smtp-source, 4 KB messages):
#   - at 1 000 messages: EXAMINE + UID FETCH 1:* (FLAGS ENVELOPE), 5 times; UID FETCH of 100 random bodies, 5 times
#   - at 10 000 messages: EXAMINE + UID FETCH 1:* (FLAGS ENVELOPE), 3 times; Essaim's resident memory
#   - the first SELECT after those 10 000 new messages (clears \Recent), then a second one
#   - disk used per stored message after these reads
#   - \Deleted on the first 2 000 messages, then EXPUNGE
#
#   scripts/bench-imap.sh [rounds]      (default 1; builds target/essaim.jar if missing)
#   ESSAIM_JAR=path            another Essaim jar than target/essaim.jar
# Output: one line per measurement, then a summary with ranges and ratios; load average printed with each round.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-1}
jar=${ESSAIM_JAR:-target/essaim.jar}
[ -f "$jar" ] || mvn -B -q -Pproduction -DskipTests package
bench=scripts/bench/mailbench.py
work=$(mktemp -d /tmp/essaim-bench-imap.XXXXXX)
chmod 755 "$work"   # Postfix and Dovecot drop privileges and must reach their directories inside
results="$work/results"
trap 'scripts/baseline-postfix-dovecot.sh stop "$work/baseline" || true; scripts/bench/essaim-instance.sh stop "$work/essaim" || true' EXIT

record() { echo "$1 $2 $3" | tee -a "$results"; }   # server measurement value
first() { awk -v k="$1" '$1 == k { print $2 }'; }
kib() { du -sk "$1" | cut -f1; }
rss_mib() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }

run_rows() { # server smtp imaps user password disk_path [pid]
    local server=$1 smtp=$2 imaps=$3 user=$4 password=$5 disk=$6 pid=${7:-}
    local before
    before=$(kib "$disk")
    python3 $bench deliver "$smtp" "$imaps" "$user" "$password" 1000 4096 8 >/dev/null
    python3 $bench envelopes "$imaps" "$user" "$password" 5 | while read -r key value _; do record "$server" envelopes_1000_ms "$value"; done
    python3 $bench bodies "$imaps" "$user" "$password" 5 | while read -r key value _; do record "$server" bodies_100_random_ms "$value"; done
    python3 $bench deliver "$smtp" "$imaps" "$user" "$password" 9000 4096 8 >/dev/null
    [ -n "$pid" ] && record "$server" rss_at_10000_mib "$(rss_mib "$pid")"
    python3 $bench envelopes "$imaps" "$user" "$password" 3 | while read -r key value _; do record "$server" envelopes_10000_ms "$value"; done
    local out
    out=$(python3 $bench first-select "$imaps" "$user" "$password")
    record "$server" first_select_10000_new_ms "$(echo "$out" | first first_select_ms)"
    record "$server" second_select_ms "$(echo "$out" | first second_select_ms)"
    sync; sleep 2
    record "$server" disk_kb_per_message_after_reads "$(python3 -c "print(round(($(kib "$disk") - $before) / 10000, 2))")"
    out=$(python3 $bench expunge "$imaps" "$user" "$password" 2000)
    record "$server" expunge_2000_ms "$(echo "$out" | first expunge_ms)"
    [ -n "$pid" ] && record "$server" rss_after_expunge_mib "$(rss_mib "$pid")"
    return 0
}

for round in $(seq 1 "$rounds"); do
    echo "round $round, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    rm -rf "$work/baseline"
    eval "$(scripts/baseline-postfix-dovecot.sh start "$work/baseline")"
    mkdir -p "$(dirname "$BASELINE_MAILDIR")"; chown nobody:nogroup "$(dirname "$BASELINE_MAILDIR")"
    run_rows baseline "$BASELINE_SMTP_PORT" "$BASELINE_IMAPS_PORT" "$BASELINE_USER" "$BASELINE_PASSWORD" "$(dirname "$BASELINE_MAILDIR")"
    scripts/baseline-postfix-dovecot.sh stop "$work/baseline"

    rm -rf "$work/essaim"
    eval "$(scripts/bench/essaim-instance.sh start "$work/essaim" "$jar")"
    run_rows essaim "$ESSAIM_SMTP_PORT" "$ESSAIM_IMAPS_PORT" "$ESSAIM_USER" "$ESSAIM_PASSWORD" "$ESSAIM_DATA" "$ESSAIM_PID"
    scripts/bench/essaim-instance.sh stop "$work/essaim"
done

echo
echo "summary over $rounds rounds (min-max; ratio = median / baseline's median), load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 scripts/bench/summary.py "$results"
