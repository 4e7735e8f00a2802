#!/usr/bin/env bash
# The spam verdict's cost (issue 16): one Essaim jar run with the filter off (essaim.spam.engine=off, reported as
# "baseline") and on (the embedded filter judging every message; essaim-instance.sh puts the junk and reject scores
# out of reach so that every message lands in the INBOX the benchmark counts), interleaved, a fresh instance each.
# Per run: 200 x 4 KB to warm up (not counted), then 2 000 x 4 KB by Postfix's smtp-source over 8 sessions;
# "delivered" = visible over IMAP (STATUS polled every 20 ms); Essaim's CPU time per message from /proc.
#
#   scripts/bench-spam.sh [rounds]        (default 3; builds target/essaim.jar if missing)
#   ESSAIM_JAR=path                       another jar than target/essaim.jar
# Needs postfix (smtp-source), gnupg, curl, python3. Output: one line per measurement, load average per round,
# then ranges and the ratio of the medians (filter on / off).
# smtp-source's body is filler text: the per-message cost on real mail is SpamVerdictBenchmark's (docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
jar=${ESSAIM_JAR:-target/essaim.jar}
[ -f "$jar" ] || mvn -B -q -Pproduction -DskipTests package
bench=scripts/bench/mailbench.py
work=$(mktemp -d /tmp/essaim-bench-spam.XXXXXX)
results="$work/results"
trap 'scripts/bench/essaim-instance.sh stop "$work/essaim" || true' EXIT

record() { echo "$1 $2 $3" | tee -a "$results"; }   # server measurement value
value() { awk -v k="$1" '$1 == k { print $2 }'; }
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }

run() { # label engine
    local label=$1 engine=$2 out cpu_before
    rm -rf "$work/essaim"
    eval "$(ESSAIM_ARGS="--essaim.spam.engine=$engine" scripts/bench/essaim-instance.sh start "$work/essaim" "$jar")"
    python3 $bench deliver "$ESSAIM_SMTP_PORT" "$ESSAIM_IMAPS_PORT" "$ESSAIM_USER" "$ESSAIM_PASSWORD" 200 4096 8 >/dev/null
    cpu_before=$(cpu_ms "$ESSAIM_PID")
    out=$(python3 $bench deliver "$ESSAIM_SMTP_PORT" "$ESSAIM_IMAPS_PORT" "$ESSAIM_USER" "$ESSAIM_PASSWORD" 2000 4096 8)
    record "$label" accepted_per_s_8_sessions "$(echo "$out" | value accepted_per_s)"
    record "$label" delivered_per_s_8_sessions "$(echo "$out" | value delivered_per_s)"
    record "$label" cpu_ms_per_message "$(python3 -c "print(round(($(cpu_ms "$ESSAIM_PID") - $cpu_before) / 2000, 2))")"
    scripts/bench/essaim-instance.sh stop "$work/essaim"
}

echo "baseline = essaim.spam.engine=off; filter-on = the embedded filter (the default engine)"
for round in $(seq 1 "$rounds"); do
    echo "round $round, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ $((round % 2)) -eq 1 ]; then
        run baseline off; run filter-on embedded
    else
        run filter-on embedded; run baseline off
    fi
done

echo
echo "summary over $rounds rounds (min-max; ratio = median / filter-off median), load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 scripts/bench/summary.py "$results"
