#!/usr/bin/env bash
# Benchmark: time from launch until Essaim is ready (GET /actuator/health/readiness answers 200, which it does once
# the web, the SMTP, submission, IMAP(S) and POP3(S) ports and the first admin are up; the SMTP, IMAPS and POP3S
# ports are checked too), and resident memory two seconds later. Runs are interleaved between:
#   java-jar    java -XX:+UseSerialGC -Xmx384m -jar target/essaim.jar   (the flags recommended before bin/essaim)
#   bin/essaim  the launcher: serial GC, a small initial heap, class data sharing (docs/operations.md)
# Usage: scripts/bench-startup.sh [runs] [modes...]   (builds target/essaim.jar if missing; default: 5 runs, both)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
modes=("$@")
[ ${#modes[@]} -gt 0 ] || modes=(java-jar bin/essaim)
[ -f target/essaim.jar ] || mvn -B -q -Pproduction -DskipTests package
# The launcher prepares its class data sharing archive on first use; do it before timing anything.
bin/essaim --prepare

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$runs"); do
  for mode in "${modes[@]}"; do
    data=$(mktemp -d)
    web=$(free_port); smtp=$(free_port); sub=$(free_port); imap=$(free_port); imaps=$(free_port); pop=$(free_port); pops=$(free_port)
    args=(--essaim.data-dir="$data" --essaim.domain=bench.test --essaim.bind-address=127.0.0.1 --server.address=127.0.0.1
      --server.port="$web" --essaim.smtp.port="$smtp" --essaim.submission.port="$sub" --essaim.imap.port="$imap"
      --essaim.imaps.port="$imaps" --essaim.pop3.port="$pop" --essaim.pop3s.port="$pops"
      --essaim.bootstrap.admin-email=admin@bench.test --essaim.bootstrap.admin-password='bench password 123')
    start=$(date +%s%N)
    case "$mode" in
      java-jar) java -XX:+UseSerialGC -Xmx384m -jar target/essaim.jar "${args[@]}" >"$data/out.log" 2>&1 & ;;
      bin/essaim) bin/essaim "${args[@]}" >"$data/out.log" 2>&1 & ;;
      *) echo "unknown mode $mode"; exit 2 ;;
    esac
    pid=$!
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$web/actuator/health/readiness")" = 200 ] \
        && port_open "$smtp" && port_open "$imaps" && port_open "$pops"; do
      kill -0 "$pid" 2>/dev/null || { echo "Essaim exited; see $data/out.log"; exit 1; }
      sleep 0.1
    done
    ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    sleep 2
    rss_kib=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    echo "run $i $mode: ready in ${ready_ms} ms, RSS after start $((rss_kib / 1024)) MiB"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$data"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
